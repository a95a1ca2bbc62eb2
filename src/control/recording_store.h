#pragma once
// Recording control's rows in the ssr database (store::Database, shared with every store):
// its columns of the sessions table (title, autostart override, time 0, started, ended,
// presence), recordings, parts, status transitions and organization settings. Everything a
// restart needs to resume is here.

#include "control/org_settings.h"
#include "control/recording.h"
#include "store/database.h"
#include "store/recording_rows.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ssr::control {

struct SessionRow {
  std::string id;
  std::string title;
  std::optional<bool> autostart;      // per-session override of OrgSettings::autostart
  std::optional<double> start_wall_s; // wall time of session time 0, once known
  bool started = false;               // the first event arrived (R10 fires then)
  bool ended = false;                 // session.end
  nlohmann::json presence = nlohmann::json::object(); // SessionPresence::ToJson
};

class RecordingStore {
 public:
  explicit RecordingStore(store::Database& db);

  OrgSettings LoadSettings();
  void SaveSettings(const OrgSettings& settings);

  void SaveSession(const SessionRow& session); // insert or replace
  std::optional<SessionRow> FindSession(const std::string& id);
  std::vector<SessionRow> OpenSessions(); // not ended
  // Removes the session's row (the platform's columns and control's: one row owns a session).
  void DeleteSession(const std::string& id);

  void SaveRecording(const Recording& recording); // insert or update
  // Updates the recording and logs the transition, both or neither.
  void SaveTransition(const Recording& recording, const Transition& transition);
  std::optional<Recording> FindRecording(const std::string& id);
  // Recordings whose work is not done: initializing, recording, paused, processing.
  std::vector<Recording> UnfinishedRecordings();
  std::vector<Recording> RecordingsOfSession(const std::string& session_id);
  std::vector<Recording> AllRecordings();
  // How many recordings are in each status ("recording" -> 2); a status with none is absent.
  std::map<std::string, int64_t> CountByStatus();
  // Removes the recording with its parts and transitions, and every added owner's rows
  // about it, in one transaction (the stored files are the caller's).
  void DeleteRecording(const std::string& id);
  // `owner`'s rows about a recording go with it (share links, views, webhook rows). The
  // owner outlives this store; add owners before the first deletion.
  void AddRowsOwner(store::RecordingRowsOwner& owner) { rows_owners_.push_back(&owner); }

  void SavePart(const Part& part);                          // insert or replace (recording_id, n)
  std::vector<Part> Parts(const std::string& recording_id); // by n
  std::vector<Transition> Transitions(const std::string& recording_id); // oldest first

 private:
  std::vector<Recording> SelectRecordings(const char* where, const std::string& arg);
  void WriteRecording(const Recording& recording);

  std::mutex mutex_;
  store::Database& db_;
  std::vector<store::RecordingRowsOwner*> rows_owners_;
};

} // namespace ssr::control
