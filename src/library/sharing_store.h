#pragma once
// Each recording's saved sharing settings (R15) in DATA/ssr.db. A save replaces the whole
// settings in one transaction, and only if the version the saver read is still the current
// one (optimistic locking: two hosts saving at once, the second is refused, nothing of
// theirs is written). A recording with nothing saved has version 0 and is not shared.

#include "library/caller.h"
#include "library/sharing_settings.h"
#include "store/database.h"
#include "store/recording_rows.h"

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ssr::library {

class SharingStore : public store::RecordingRowsOwner {
 public:
  explicit SharingStore(store::Database& db);

  // The saved settings of `recording_id`, or nullopt when none were ever saved.
  std::optional<SharingRecord> Load(const std::string& recording_id);

  struct SaveResult {
    bool saved = false;
    SharingRecord current; // the new settings, or (not saved) the ones that are in place
  };
  // Saves `settings` as version expected_version + 1 if the current version (0 when none
  // saved) is `expected_version`; nullopt `expected_version` saves whatever the current one
  // is (If-Match: *). `current.version` is meaningful either way; a refused save leaves
  // `current.settings` empty when nothing was ever saved (the caller fills in defaults).
  SaveResult Save(const std::string& recording_id, SharingRecord settings,
                  std::optional<int64_t> expected_version, const std::string& updated_by,
                  double now_s);

  // Recordings with a grant naming `user` (by id, or by e-mail ignoring case).
  std::vector<std::string> GrantedTo(const Caller& user);

  // Drops the settings of a deleted recording.
  void Forget(const std::string& recording_id);
  // The same, inside the transaction that deletes the recording (store/recording_rows.h).
  void DeleteRowsOf(const std::string& recording_id) override;

 private:
  std::optional<SharingRecord> LoadLocked(const std::string& recording_id);

  std::mutex mutex_;
  store::Database& db_;
};

} // namespace ssr::library
