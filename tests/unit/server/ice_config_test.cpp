// The ICE settings of `ssr serve` (docs/webrtc-networks.md): read from the file and the
// environment, and every bad value refused with an error naming the setting and what is
// wrong, never repeating a TURN password.

#include "server/config.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>

namespace ssr::server {
namespace {

constexpr const char* kTurnPassword = "tUrN-pa55";

// The message of the ConfigError that `f` throws, or "no error".
template <typename F> std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

ServerConfig Valid() {
  ServerConfig config;
  config.api_key = "0123456789abcdef";
  return config;
}

TEST(IceConfig, NoneByDefault) {
  const ServerConfig config = Valid();
  EXPECT_TRUE(config.ice_advertised_addresses.empty());
  EXPECT_EQ(config.ice_port_min, 0);
  EXPECT_EQ(config.ice_port_max, 0);
  EXPECT_TRUE(config.ice_stun_server.empty());
  EXPECT_TRUE(config.ice_turn_servers.empty());
  EXPECT_NO_THROW(Validate(config));
}

TEST(IceConfig, FromTheFileThenTheEnvironment) {
  const test::TempDir dir;
  const auto file = dir.path() / "ice.json";
  std::ofstream(file) << R"({
    // a cloud VM: its public address, the firewall's UDP range, a TURN server
    "ice_advertised_addresses": ["203.0.113.10=10.0.0.5"],
    "ice_port_min": 50000, "ice_port_max": 50999,
    "ice_stun_server": "stun://stun.example.org:3478",
    "ice_turn_servers": ["turn://ssr:tUrN-pa55@turn.example.org:3478?transport=udp"]
  })";
  ServerConfig config = Valid();
  ApplyConfigFile(config, file);
  EXPECT_EQ(config.ice_advertised_addresses, std::vector<std::string>{"203.0.113.10=10.0.0.5"});
  EXPECT_EQ(config.ice_port_min, 50000);
  EXPECT_EQ(config.ice_port_max, 50999);
  EXPECT_EQ(config.ice_stun_server, "stun://stun.example.org:3478");
  EXPECT_NO_THROW(Validate(config));

  const std::map<std::string, std::string> env = {
      {"SSR_ICE_ADVERTISED_ADDRESSES", "198.51.100.7, 2001:db8::7"},
      {"SSR_ICE_PORT_MIN", "52000"},
      {"SSR_ICE_PORT_MAX", "52010"},
      {"SSR_ICE_STUN_SERVER", "stun://192.0.2.1"},
      {"SSR_ICE_TURN_SERVERS",
       "turn://a:b@turn.example.org?transport=tcp,turns://1700000000%3Aa:c2Vj@turn.example.org"}};
  ApplyEnvironment(config, [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  EXPECT_EQ(config.ice_advertised_addresses,
            (std::vector<std::string>{"198.51.100.7", "2001:db8::7"}));
  EXPECT_EQ(config.ice_port_min, 52000);
  EXPECT_EQ(config.ice_turn_servers.size(), 2u);
  EXPECT_NO_THROW(Validate(config));
}

struct BadValue {
  std::function<void(ServerConfig&)> set;
  std::vector<std::string> error_says; // each is in the error
};

TEST(IceConfig, BadValuesAreRefusedNamingTheSettingAndTheProblem) {
  const std::vector<BadValue> cases = {
      {[](ServerConfig& c) { c.ice_advertised_addresses = {"203.0.113.300"}; },
       {"ice_advertised_addresses", "'203.0.113.300' is not an IP address"}},
      {[](ServerConfig& c) { c.ice_advertised_addresses = {"vm.example.org"}; },
       {"ice_advertised_addresses", "'vm.example.org' is not an IP address"}},
      {[](ServerConfig& c) { c.ice_advertised_addresses = {"0.0.0.0"}; },
       {"ice_advertised_addresses", "unspecified"}},
      {[](ServerConfig& c) { c.ice_advertised_addresses = {"203.0.113.10=10.0.0"}; },
       {"ice_advertised_addresses", "'10.0.0' (after '=') is not an IP address"}},
      {[](ServerConfig& c) { c.ice_advertised_addresses = {"203.0.113.10=fd00::5"}; },
       {"ice_advertised_addresses", "different families"}},
      {[](ServerConfig& c) {
         c.ice_advertised_addresses = {"203.0.113.10", "203.0.113.11"};
       },
       {"ice_advertised_addresses", "name the private address"}},
      {[](ServerConfig& c) {
         c.ice_advertised_addresses = {"203.0.113.10=10.0.0.5", "203.0.113.11=10.0.0.5"};
       },
       {"ice_advertised_addresses", "'10.0.0.5' is mapped twice"}},
      {[](ServerConfig& c) { c.ice_port_min = 50000; }, {"ice_port_min/ice_port_max", "both"}},
      {[](ServerConfig& c) {
         c.ice_port_min = 80;
         c.ice_port_max = 90;
       },
       {"ice_port_min", "1024 to 65535"}},
      {[](ServerConfig& c) {
         c.ice_port_min = 50100;
         c.ice_port_max = 50000;
       },
       {"ice_port_min/ice_port_max", "50100-50000 is empty"}},
      {[](ServerConfig& c) { c.ice_port_max = 70000; }, {"ice_port_max", "1024 to 65535"}},
      {[](ServerConfig& c) {
         c.ice_port_min = 40500; // the RTP forwards' range is 40000-41000 by default
         c.ice_port_max = 40600;
       },
       {"ice_port_min/ice_port_max", "overlaps rtp_port_min/rtp_port_max (40000-41000)"}},
      {[](ServerConfig& c) { c.ice_stun_server = "stun.example.org:3478"; },
       {"ice_stun_server", "stun://HOST[:PORT]"}},
      {[](ServerConfig& c) { c.ice_stun_server = "http://stun.example.org"; },
       {"ice_stun_server", "must be of the form stun://HOST[:PORT]"}},
      {[](ServerConfig& c) { c.ice_stun_server = "stun://stun.example.org:3478/x"; },
       {"ice_stun_server", "must not have a path"}},
      {[](ServerConfig& c) { c.ice_turn_servers = {"turn://ssr@turn.example.org"}; },
       {"ice_turn_servers", "entry 1", "needs a user name and a password"}},
      {[](ServerConfig& c) {
         c.ice_turn_servers = {"turn://a:b@turn.example.org",
                               "turm://ssr:tUrN-pa55@turn.example.org"};
       },
       {"ice_turn_servers", "entry 2", "turm://***@turn.example.org", "turn(s)://"}},
      {[](ServerConfig& c) {
         c.ice_turn_servers = {"turn://ssr:tUrN-pa55@turn.example.org?transport=sctp"};
       },
       {"ice_turn_servers", "transport 'sctp' (udp or tcp)"}},
      {[](ServerConfig& c) {
         c.ice_turn_servers = {"turn://1700000000:ssr:tUrN-pa55@turn.example.org"};
       },
       {"ice_turn_servers", "more than one ':'", "%3A"}},
      {[](ServerConfig& c) { c.ice_turn_servers = {"turn://ssr:tUrN-pa55@"}; },
       {"ice_turn_servers", "has no host"}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    ServerConfig config = Valid();
    cases[i].set(config);
    const std::string error = ErrorOf([&] { Validate(config); });
    for (const std::string& expected : cases[i].error_says) {
      EXPECT_NE(error.find(expected), std::string::npos)
          << "case " << i << ": '" << expected << "' not in: " << error;
    }
    EXPECT_EQ(error.find(kTurnPassword), std::string::npos) << "case " << i << ": " << error;
  }
}

TEST(IceConfig, BadEnvironmentValuesNameTheVariable) {
  ServerConfig config = Valid();
  const std::string error = ErrorOf([&] {
    ApplyEnvironment(config, [](const char* name) -> const char* {
      return std::string(name) == "SSR_ICE_PORT_MIN" ? "50k" : nullptr;
    });
  });
  EXPECT_NE(error.find("SSR_ICE_PORT_MIN"), std::string::npos) << error;
}

} // namespace
} // namespace ssr::server
