#include "live_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ssr::test {

namespace fs = std::filesystem;
using nlohmann::json;

BackgroundCommand::BackgroundCommand(const std::string& command) {
  char pattern[] = "/tmp/ssr-bg-XXXXXX";
  const int fd = ::mkstemp(pattern);
  log_ = pattern;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::setpgid(0, 0);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fd);
}

BackgroundCommand::~BackgroundCommand() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  fs::remove(log_, ignored);
}

int BackgroundCommand::Wait(double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int>(timeout_s * 1000));
  while (pid_ > 0 && std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      return exit_code_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  return exit_code_;
}

std::string BackgroundCommand::Output() const {
  std::ifstream in(log_);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

LiveClass StartClass(ServeProcess& server, const std::string& sid, const std::string& host_name) {
  auto res = server.CreateSession({{"id", sid}, {"title", "Live class " + sid}});
  if (!res || res->status != 201)
    throw std::runtime_error("cannot create session " + sid);
  LiveClass live{sid, json::parse(res->body).at("ingest_token")};
  const json events = json::array({
      {{"t", 0}, {"type", "participant.join"}, {"id", "h1"}, {"name", host_name}, {"role", "host"}},
      {{"t", 0},
       {"type", "track.publish"},
       {"track", "cam-h1"},
       {"participant", "h1"},
       {"kind", "video"},
       {"source", "camera"}},
      {{"t", 0},
       {"type", "track.publish"},
       {"track", "mic-h1"},
       {"participant", "h1"},
       {"kind", "audio"},
       {"source", "microphone"}},
  });
  res = server.PostEvents(sid, events);
  if (!res || res->status != 202)
    throw std::runtime_error("events refused: " + (res ? res->body : ""));
  return live;
}

json StartRecording(ServeProcess& server, const std::string& sid) {
  auto res = server.Client().Post("/api/v1/sessions/" + sid + "/recordings", server.Auth(), "{}",
                                  "application/json");
  if (!res || res->status != 202) {
    throw std::runtime_error("start refused: " + (res ? res->body : "no answer") +
                             "\n--- server log ---\n" + server.Log());
  }
  return json::parse(res->body);
}

json StopRecording(ServeProcess& server, const std::string& rid) {
  auto res = server.Client().Post("/api/v1/recordings/" + rid + "/stop", server.Auth(), "",
                                  "application/json");
  if (!res || res->status != 200) {
    throw std::runtime_error("stop refused: " + (res ? res->body : "no answer") +
                             "\n--- server log ---\n" + server.Log());
  }
  return WaitForStatus(server, rid, "ready", 15);
}

json WaitForStatus(ServeProcess& server, const std::string& rid, const std::string& status,
                   double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int>(timeout_s * 1000));
  json recording;
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = server.Client().Get("/api/v1/recordings/" + rid, server.Auth());
    if (res && res->status == 200) {
      recording = json::parse(res->body);
      if (recording.value("status", "") == status)
        return recording;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("recording " + rid + " is not " + status + " after " +
                           std::to_string(timeout_s) + " s: " + recording.dump());
}

fs::path DownloadPart(ServeProcess& server, const std::string& rid, int n, const fs::path& dir) {
  auto res = server.Client().Get(
      "/api/v1/recordings/" + rid + "/parts/" + std::to_string(n) + "/download", server.Auth());
  if (!res || res->status != 200) {
    throw std::runtime_error("download refused: " + (res ? res->body : "no answer"));
  }
  const fs::path file = dir / (rid + "-" + std::to_string(n) + ".webm");
  std::ofstream(file, std::ios::binary) << res->body;
  return file;
}

std::string WhipPublisherCommand(const ServeProcess& server, const LiveClass& live,
                                 const std::string& tracks, const std::string& args) {
  // "--token=T": a token may start with '-', which "--token T" would read as an option.
  return std::string("/usr/bin/python3 ") + SSR_SOURCE_DIR + "/tests/e2e/whip_publish.py --url " +
         server.BaseUrl() + "/whip/" + live.sid + "/" + tracks + " --token=" + live.ingest_token +
         " " + args;
}

std::string DecodeErrors(const fs::path& file) {
  BackgroundCommand decode("ffmpeg -v error -i " + file.string() + " -f null - 2>&1");
  const int exit_code = decode.Wait(60);
  return exit_code == 0 ? decode.Output()
                        : "ffmpeg exited " + std::to_string(exit_code) + ": " + decode.Output();
}

int ThreadCount(pid_t pid) {
  int n = 0;
  for ([[maybe_unused]] const auto& entry :
       fs::directory_iterator("/proc/" + std::to_string(pid) + "/task"))
    ++n;
  return n;
}

} // namespace ssr::test
