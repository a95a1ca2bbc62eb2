#pragma once
// A RecordingController on a temporary SQLite file, a directory storage, a FakeRecorder and a
// hub whose notifications of session "s1" are collected. Session time t is wall time
// kStartWall + t.

#include "../../support/temp_dir.h"
#include "../../support/test_database.h"
#include "control/recording_controller.h"
#include "events/event_parser.h"
#include "fake_recorder.h"
#include "storage/directory_storage.h"

#include <gtest/gtest.h>

#include <memory>
#include <tuple>

namespace ssr::control {

class ControllerTest : public ::testing::Test {
 protected:
  static constexpr double kStartWall = 1'750'000'000;
  using Span = std::tuple<int, double, double>; // n, start_t, end_t

  void SetUp() override {
    temp_dir_.KeepIfTestFailed();
    settings_.countdown_s = 10;
    settings_.attempts = 5;
    settings_.max_part_duration_s = 0;
    settings_.disconnect_grace_s = 120;
  }

  void TearDown() override { controller_.reset(); }

  // Builds (or, after a "crash", rebuilds) everything but the database file.
  void Boot(std::optional<bool> session_autostart = std::nullopt) {
    controller_.reset();
    store_.reset();
    database_ = std::make_unique<store::Database>(ssr::test::TestDatabase(dir_ / "ssr.db"));
    store_ = std::make_unique<RecordingStore>(*database_);
    store_->SaveSettings(settings_);
    recorder_ = std::make_unique<FakeRecorder>();
    storage_ = std::make_unique<storage::DirectoryStorage>(dir_ / "media");
    hub_ = std::make_unique<notify::NotificationHub>(nullptr);
    hub_->Subscribe("s1", [this](const notify::Notification& n) { notes_.push_back(n); });
    ControllerOptions options;
    options.parts_dir = dir_ / "live";
    options.max_live_recordings = max_live_recordings_;
    options.new_id = [this] { return "id" + std::to_string(++ids_); };
    options.repair_part = [this](const std::filesystem::path& p) {
      repaired_.push_back(p);
      return -1.0;
    };
    controller_ =
        std::make_unique<RecordingController>(*store_, *recorder_, *storage_, *hub_, options);
    controller_->OpenSession({"s1", "Biology 101", session_autostart, kStartWall});
  }

  static double W(double t) { return kStartWall + t; }

  void Event(double t, nlohmann::json body) {
    body["t"] = t;
    controller_->OnEvent(W(t), "s1", events::ParseEvent(body));
  }
  void Join(double t, const std::string& id, const std::string& role,
            const std::string& room = "main") {
    Event(t,
          {{"type", "participant.join"}, {"id", id}, {"name", id}, {"role", role}, {"room", room}});
  }
  void Leave(double t, const std::string& id, const std::string& reason) {
    Event(t, {{"type", "participant.leave"}, {"id", id}, {"reason", reason}});
  }
  void Move(double t, const std::string& id, const std::string& to) {
    Event(t, {{"type", "participant.move"}, {"id", id}, {"to", to}});
  }
  void OpenRoom(double t, const std::string& id, const std::string& name,
                bool auto_record = false) {
    Event(t, {{"type", "room.open"}, {"id", id}, {"name", name}, {"auto_record", auto_record}});
  }
  void CloseRoom(double t, const std::string& id) {
    Event(t, {{"type", "room.close"}, {"id", id}});
  }
  void End(double t) { Event(t, {{"type", "session.end"}}); }

  // What the runtime does every tick.
  void Tick(double t) {
    controller_->Tick(W(t));
    controller_->ProcessPending(W(t));
  }
  void TickThrough(double from, double to) {
    for (double t = from; t <= to + 1e-9; t += 1) {
      Tick(t);
    }
  }

  Recording Start(double t, const std::string& room = "main", const std::string& name = "") {
    return controller_->Start(W(t), "s1", room, name, "h1");
  }
  Recording Stop(double t, const std::string& id) { return controller_->Stop(W(t), id); }
  RecordingStatus Status(const std::string& id) { return controller_->Find(id)->status; }

  std::vector<Span> Spans(const std::string& id) {
    std::vector<Span> spans;
    for (const Part& p : controller_->Parts(id)) {
      spans.emplace_back(p.n, p.start_t, p.end_t);
    }
    return spans;
  }
  std::vector<std::string> Moves(const std::string& id) {
    std::vector<std::string> moves;
    for (const Transition& t : store_->Transitions(id)) {
      moves.push_back(t.from + ">" + t.to);
    }
    return moves;
  }
  // Types of the notifications about recording `id` ("type" or "type#attempt").
  std::vector<std::string> Types(const std::string& id) {
    std::vector<std::string> types;
    for (const notify::Notification& n : notes_) {
      if (n.recording_id == id) {
        types.push_back(n.attempt ? n.type + "#" + std::to_string(*n.attempt) : n.type);
      }
    }
    return types;
  }

  test::TempDir temp_dir_;
  const std::filesystem::path dir_ = temp_dir_.path();
  OrgSettings settings_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<RecordingStore> store_;
  std::unique_ptr<FakeRecorder> recorder_;
  std::unique_ptr<storage::DirectoryStorage> storage_;
  std::unique_ptr<notify::NotificationHub> hub_;
  std::unique_ptr<RecordingController> controller_;
  std::vector<notify::Notification> notes_;
  std::vector<std::filesystem::path> repaired_;
  int ids_ = 0;
  int max_live_recordings_ = 0; // admission (ControllerOptions), set before Boot
};

} // namespace ssr::control
