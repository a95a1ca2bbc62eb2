#pragma once
// Server counters, exposed at GET /metrics in the Prometheus text format.

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace ssr::http {

class Metrics {
 public:
  void CountRequest(const std::string& route, unsigned code);
  void CountEvents(uint64_t n) { events_total_ += n; }
  void CountAssetBytes(uint64_t n) { asset_bytes_total_ += n; }
  void ConnectionOpened() { ++open_connections_; }
  void ConnectionClosed() { --open_connections_; }
  void WebSocketOpened() { ++open_websockets_; }
  void WebSocketClosed() { --open_websockets_; }

  // The exposition text; `sessions` is the number of sessions in the library.
  std::string Render(long long sessions) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, unsigned>, uint64_t> requests_;
  std::atomic<uint64_t> events_total_{0};
  std::atomic<uint64_t> asset_bytes_total_{0};
  std::atomic<int64_t> open_connections_{0};
  std::atomic<int64_t> open_websockets_{0};
};

} // namespace ssr::http
