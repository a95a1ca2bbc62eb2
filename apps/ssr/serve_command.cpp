// ssr serve: the HTTP/WebSocket server (events, assets, sessions; docs/http-api.md).

#include "commands.h"

#include "common/json_log.h"
#include "common/log.h"
#include "http/server.h"
#include "server/app.h"
#include "server/config.h"
#include "server/systemd_notifier.h"

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

namespace ssr::app {

CommandRunner AddServeCommand(CLI::App& app) {
  struct Args {
    std::string config_file;
    std::string listen;
    std::string data_dir;
    std::string role;
    std::string advertise;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Serve the HTTP API: sessions, events (HTTP and WebSocket), assets");
  cmd->add_option("--config", args->config_file, "JSON settings (deploy/ssr.sample.json)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on (SSR_LISTEN)");
  cmd->add_option("--data", args->data_dir, "Data directory: ssr.db, sessions/ (SSR_DATA_DIR)");
  cmd->add_option("--role", args->role,
                  "all (default), api (API, library, web app) or worker (records) (SSR_ROLE)");
  cmd->add_option("--advertise", args->advertise,
                  "Worker: http(s)://HOST:PORT publishers and the API reach it at "
                  "(SSR_ADVERTISE_URL; default http://<listen>)");
  return [args] {
    server::ServerConfig config;
    try {
      // Later sources win: defaults, config file, environment, flags.
      if (!args->config_file.empty()) {
        server::ApplyConfigFile(config, args->config_file);
      }
      server::ApplyEnvironment(config);
      if (!args->listen.empty())
        config.listen = args->listen;
      if (!args->data_dir.empty())
        config.data_dir = args->data_dir;
      if (!args->role.empty())
        config.role = args->role;
      if (!args->advertise.empty())
        config.advertise_url = args->advertise;
      server::Validate(config);
    } catch (const std::exception& e) {
      std::cerr << "ssr serve: configuration error: " << e.what() << '\n';
      return 2;
    }

    // A server's log is read later: each line says when (text), or is a JSON object that
    // says it (json, for log collectors).
    if (config.log_format == "json") {
      UseJsonLogLines();
    } else {
      TimestampLogLines();
    }

    // Video pictures (a 640x360 frame is 345 KB) are allocated and freed by many threads:
    // with glibc's dynamic threshold they end up on the heap and their memory is kept after a
    // free. A fixed threshold maps them, so a backlog that drains gives its memory back.
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);

    // Everything the server creates under the data directory (the database, events,
    // uploads, parts, stored recordings) is the service account's alone (docs/security.md).
    umask(077);

    // SIGTERM and SIGINT are taken by one thread that stops the server (a graceful stop).
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    std::unique_ptr<server::App> app;
    std::unique_ptr<http::Server> server;
    try {
      app = std::make_unique<server::App>(config);
      server = std::make_unique<http::Server>(*app);
    } catch (const std::exception& e) {
      Logger("server")->critical("cannot start: {}", e.what());
      return 1;
    }
    // Under systemd (Type=notify): ready once listening, watchdog pings while the control
    // timer and the connection reaper go round, stopping on a signal. They go round every
    // control_tick_ms (at most 5 s) and every second: silent for 10 s or for the watchdog's
    // interval, whichever is longer, one is stuck.
    server::SystemdNotifier systemd([&app, &server](std::chrono::microseconds within) {
      const std::chrono::steady_clock::duration stuck_after =
          std::max<std::chrono::steady_clock::duration>(within, std::chrono::seconds(10));
      const auto now = std::chrono::steady_clock::now();
      return now - app->LastTick() < stuck_after && now - server->LastReap() < stuck_after;
    });
    // The signal thread stops the server through this gate: Run() returns as soon as Stop()
    // has woken the acceptor, and the server must not be destroyed while Stop() is still
    // running on the signal thread (ASan caught that), nor be stopped once it is gone.
    struct StopGate {
      std::mutex mutex;
      http::Server* server = nullptr;
      server::SystemdNotifier* systemd = nullptr;
    };
    auto gate = std::make_shared<StopGate>();
    gate->server = server.get();
    gate->systemd = &systemd;
    std::thread([gate, signals] {
      int signal_number = 0;
      sigwait(&signals, &signal_number);
      std::lock_guard lock(gate->mutex);
      if (gate->server != nullptr) {
        Logger("http")->info("signal {}: stopping", signal_number);
        gate->systemd->Stopping();
        gate->server->Stop();
      }
    }).detach();
    app->Start();
    systemd.Ready(); // the socket listens (Server's constructor): connections queue from now
    server->Run();
    {
      std::lock_guard lock(gate->mutex); // waits for a Stop() under way
      gate->server = nullptr;
      gate->systemd = nullptr;
    }
    // No request is in flight now: recordings in progress end as stored, playable parts;
    // ingest and raw track files close.
    app->Finish();
    Logger("server")->info("stopped");
    return 0;
  };
}

} // namespace ssr::app
