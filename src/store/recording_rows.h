#pragma once
// Rows that other stores keep about a recording — share links and their views, watch URLs and
// what they served, viewer progress, sharing settings, webhook bodies. Deleting a recording
// (DELETE /api/v1/recordings/{rid}) removes them in the same transaction as the recording's
// own rows (control::RecordingStore::DeleteRecording), so no row is left that names a
// recording that no longer exists (review finding M4, docs/security.md).

#include <string>

namespace ssr::store {

class RecordingRowsOwner {
 public:
  virtual ~RecordingRowsOwner() = default;
  // Deletes this store's rows about `recording_id`. Runs inside the deleting transaction,
  // with the connection's lock held: statements only, never the store's own mutex (the lock
  // order of store/database.h is "store mutex, then connection").
  virtual void DeleteRowsOf(const std::string& recording_id) = 0;
};

} // namespace ssr::store
