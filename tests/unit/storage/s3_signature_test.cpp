// The requests S3Storage sends, as a real S3 would check them (s3rver does not check SigV4
// signatures): a small S3 stand-in on 127.0.0.1 keeps objects in memory and records every
// request; each one's Authorization header is compared with the one AWS's own signer
// (botocore, tests/s3/sigv4_expected.py) computes from the method, URL, signed headers, body
// and secret, and its x-amz-content-sha256 with the SHA-256 of the body that arrived.

#include "storage/s3_storage.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

namespace ssr::storage {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAccessKey = "AKIDSSRTEST";
constexpr const char* kSecretKey = "ssr/Secret+Key=for-signature-tests";
constexpr const char* kRegion = "eu-west-3";

struct Captured {
  std::string method;
  std::string path;
  std::string query; // "a=1&b=2", names sorted, values percent-encoded as sent
  std::map<std::string, std::string> headers; // lowercase names
  std::string body;
};

// How the stand-in misbehaves.
struct Faults {
  bool corrupt_reads = false; // flip a byte of every object returned
  int failing_puts = 0;       // answer the first PUTs with `put_status` and `put_code`
  int put_status = 503;
  std::string put_code = "SlowDown";
};

// An upload id with characters that must be percent-encoded in the query.
constexpr const char* kUploadId = "up/1+x=";

std::string Md5Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += "0123456789abcdef"[digest[i] >> 4];
    hex += "0123456789abcdef"[digest[i] & 15];
  }
  return hex;
}

// The query as sent: httplib decodes the parameters; encode them back (RFC 3986 unreserved
// characters stay as they are), in name order.
std::string QueryOf(const httplib::Request& req) {
  std::string query;
  for (const auto& [name, value] : req.params) {
    std::string encoded;
    for (const unsigned char c : value) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        encoded += static_cast<char>(c);
      } else {
        static constexpr char kHex[] = "0123456789ABCDEF";
        encoded += '%';
        encoded += kHex[c >> 4];
        encoded += kHex[c & 15];
      }
    }
    query += (query.empty() ? "" : "&") + name + "=" + encoded;
  }
  return query;
}

// An in-memory S3 stand-in.
class CaptureServer {
 public:
  explicit CaptureServer(Faults faults = {}) {
    server_.Put(".*", [this, faults](const httplib::Request& req, httplib::Response& res) {
      const std::string path = Record(req).path;
      if (puts_++ < faults.failing_puts) {
        res.status = faults.put_status;
        res.set_content("<Error><Code>" + faults.put_code +
                            "</Code><Message>as asked</Message></Error>",
                        "application/xml");
        return;
      }
      if (req.has_param("uploadId")) { // UploadPart
        parts_[req.get_param_value("partNumber")] = req.body;
        res.set_header("ETag", "\"" + Md5Hex(req.body) + "\"");
        return;
      }
      objects_[path] = req.body;
      res.status = 200;
    });
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string path = Record(req).path;
      if (req.has_param("uploads")) { // CreateMultipartUpload
        res.set_content("<InitiateMultipartUploadResult><UploadId>" + std::string(kUploadId) +
                            "</UploadId></InitiateMultipartUploadResult>",
                        "application/xml");
        return;
      }
      // CompleteMultipartUpload: parts 1, 2, ... in order (the test's parts are < 10).
      std::string object;
      for (const auto& [number, bytes] : parts_) {
        object += bytes;
      }
      objects_[path] = object;
      res.set_content("<CompleteMultipartUploadResult><ETag>\"" + Md5Hex(object) +
                          "\"</ETag></CompleteMultipartUploadResult>",
                      "application/xml");
    });
    server_.Get(".*", [this, faults](const httplib::Request& req, httplib::Response& res) {
      const auto it = objects_.find(Record(req).path);
      if (it == objects_.end()) {
        res.status = 404;
        res.set_content("<Error><Code>NoSuchKey</Code><Message>none</Message></Error>",
                        "application/xml");
        return;
      }
      std::string body = it->second;
      if (faults.corrupt_reads && !body.empty()) {
        body[body.size() / 2] ^= 1;
      }
      res.set_content(body, "application/octet-stream");
    });
    server_.Delete(".*", [this](const httplib::Request& req, httplib::Response& res) {
      objects_.erase(Record(req).path);
      res.status = 204;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ~CaptureServer() {
    server_.stop();
    thread_.join();
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Captured> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  const Captured& Record(const httplib::Request& req) {
    Captured c{req.method, req.path, QueryOf(req), {}, req.body};
    for (const auto& [name, value] : req.headers) {
      std::string lower = name;
      for (char& ch : lower) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      c.headers[lower] = value;
    }
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(c));
    return requests_.back();
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<Captured> requests_;
  std::map<std::string, std::string> objects_;
  std::map<std::string, std::string> parts_; // of the multipart upload, by number
  int puts_ = 0;
};

std::string Sha256Hex(const std::string& data) {
  Sha256 sha;
  sha.Update(data.data(), data.size());
  return sha.HexDigest();
}

// "a;b;c" of "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=a;b;c, Signature=..."
std::vector<std::string> SignedHeaders(const std::string& authorization) {
  const size_t start = authorization.find("SignedHeaders=");
  if (start == std::string::npos) {
    return {};
  }
  const size_t end = authorization.find(',', start);
  std::stringstream list(authorization.substr(start + 14, end - start - 14));
  std::vector<std::string> names;
  for (std::string name; std::getline(list, name, ';');) {
    names.push_back(name);
  }
  return names;
}

// The Authorization header botocore computes for `request` signed with `secret_key`.
std::string ExpectedAuthorization(const Captured& request, const std::string& host_url,
                                  const std::string& secret_key) {
  const test::TempDir dir;
  const std::string stem = (dir / "sigv4").string();
  std::ofstream(stem + ".body", std::ios::binary) << request.body;
  nlohmann::json signed_headers = nlohmann::json::object();
  for (const std::string& name : SignedHeaders(request.headers.at("authorization"))) {
    signed_headers[name] = request.headers.count(name) ? request.headers.at(name) : "";
  }
  const std::string url =
      host_url + request.path + (request.query.empty() ? "" : "?" + request.query);
  const nlohmann::json input = {{"method", request.method},  {"url", url},
                                {"headers", signed_headers}, {"body_file", stem + ".body"},
                                {"access_key", kAccessKey},  {"secret_key", secret_key},
                                {"region", kRegion}};
  std::ofstream(stem + ".json") << input.dump();
  const std::string command =
      "/usr/bin/python3 " SSR_SOURCE_DIR "/tests/s3/sigv4_expected.py < " + stem + ".json";
  std::string output;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, pipe)) {
      output.append(buf, n);
    }
    EXPECT_EQ(::pclose(pipe), 0) << "botocore signer failed: " << output;
  }
  while (!output.empty() && output.back() == '\n') {
    output.pop_back();
  }
  return output;
}

S3Storage StorageOn(const CaptureServer& server) {
  return S3Storage(S3Config::FromJson({{"kind", "s3"},
                                       {"retry_delay_ms", 10},
                                       {"endpoint", server.endpoint()},
                                       {"bucket", "ssr-signing"},
                                       {"region", kRegion},
                                       {"access_key", kAccessKey},
                                       {"secret_key", kSecretKey},
                                       {"prefix", "site-a"}}));
}

fs::path WritePart(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(S3Signature, EveryRequestIsSignedAsAwsSignsIt) {
  CaptureServer server;
  S3Storage storage = StorageOn(server);
  std::string content(300 * 1024, '\0');
  for (size_t i = 0; i < content.size(); ++i) {
    content[i] = static_cast<char>(i * 7 + i / 251);
  }
  const test::TempDir dir;
  const fs::path part = WritePart(dir / "part-1.webm", content);
  storage.Put(part, "recordings/r1/part-1.webm"); // PUT, then GET to verify
  std::stringstream read;
  read << storage.Open("recordings/r1/part-1.webm")->rdbuf();
  EXPECT_EQ(read.str(), content);
  storage.Remove("recordings/r1/part-1.webm");

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_EQ(requests[3].method, "DELETE");
  for (const Captured& request : requests) {
    SCOPED_TRACE(request.method);
    EXPECT_EQ(request.path, "/ssr-signing/site-a/recordings/r1/part-1.webm");
    ASSERT_TRUE(request.headers.count("authorization"));
    ASSERT_TRUE(request.headers.count("x-amz-content-sha256"));
    const std::string& authorization = request.headers.at("authorization");
    // The payload hash is the body's, not UNSIGNED-PAYLOAD.
    EXPECT_EQ(request.headers.at("x-amz-content-sha256"), Sha256Hex(request.body));
    // S3 wants host and every x-amz-* header signed.
    const auto signed_headers = SignedHeaders(authorization);
    auto is_signed = [&](const std::string& name) {
      return std::find(signed_headers.begin(), signed_headers.end(), name) != signed_headers.end();
    };
    EXPECT_TRUE(is_signed("host"));
    for (const auto& [name, value] : request.headers) {
      if (name.rfind("x-amz-", 0) == 0) {
        EXPECT_TRUE(is_signed(name)) << name;
      }
    }
    EXPECT_NE(authorization.find("Credential=" + std::string(kAccessKey) + "/"), std::string::npos);
    EXPECT_NE(authorization.find("/" + std::string(kRegion) + "/s3/aws4_request"),
              std::string::npos);
    EXPECT_EQ(authorization, ExpectedAuthorization(request, server.endpoint(), kSecretKey));
  }
  EXPECT_EQ(requests[0].headers.at("x-amz-content-sha256"), Sha256Hex(content));
  EXPECT_EQ(requests[0].headers.at("x-amz-meta-sha256"), Sha256Hex(content));
  EXPECT_EQ(requests[0].headers.at("content-type"), "video/webm");
}

// A part longer than a chunk goes as a multipart upload: every request of it (create, the
// parts, complete, the HEAD) carries a query or a body of its own, and is signed as AWS signs
// it; the upload id is percent-encoded.
TEST(S3Signature, EveryRequestOfAMultipartUploadIsSignedAsAwsSignsIt) {
  CaptureServer server;
  S3Config config = StorageOn(server).config();
  config.part_size_bytes = 64 * 1024; // any size for the stand-in
  S3Storage storage(config);
  std::string content(150 * 1024, '\0');
  for (size_t i = 0; i < content.size(); ++i) {
    content[i] = static_cast<char>(i * 13 + i / 509);
  }
  const test::TempDir dir;
  const StoredObject stored =
      storage.Put(WritePart(dir / "part-1.webm", content), "recordings/r5/part-1.webm");
  EXPECT_EQ(stored.size_bytes, content.size());
  EXPECT_EQ(stored.sha256, Sha256Hex(content));

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 6u);
  EXPECT_EQ(requests[0].method + "?" + requests[0].query, "POST?uploads=");
  EXPECT_EQ(requests[1].method + "?" + requests[1].query,
            "PUT?partNumber=2&uploadId=up%2F1%2Bx%3D");
  EXPECT_EQ(requests[2].method + "?" + requests[2].query,
            "PUT?partNumber=3&uploadId=up%2F1%2Bx%3D");
  EXPECT_EQ(requests[3].method + "?" + requests[3].query,
            "PUT?partNumber=1&uploadId=up%2F1%2Bx%3D");
  EXPECT_EQ(requests[4].method + "?" + requests[4].query, "POST?uploadId=up%2F1%2Bx%3D");
  EXPECT_EQ(requests[5].method, "HEAD");
  EXPECT_EQ(requests[3].body, content.substr(0, 64 * 1024)) << "the head chunk goes last";
  EXPECT_EQ(requests[2].body, content.substr(128 * 1024));
  EXPECT_NE(requests[4].body.find("<Part><PartNumber>1</PartNumber><ETag>\"" +
                                  Md5Hex(content.substr(0, 64 * 1024)) + "\"</ETag></Part>"),
            std::string::npos)
      << requests[4].body;
  for (const Captured& request : requests) {
    SCOPED_TRACE(request.method + " " + request.query);
    EXPECT_EQ(request.path, "/ssr-signing/site-a/recordings/r5/part-1.webm");
    EXPECT_EQ(request.headers.at("x-amz-content-sha256"), Sha256Hex(request.body));
    EXPECT_EQ(request.headers.at("authorization"),
              ExpectedAuthorization(request, server.endpoint(), kSecretKey));
  }
}

// The comparison above can fail: a request signed with another secret, or whose payload
// hash does not match its body, gives another signature than AWS's signer computes.
TEST(S3Signature, TheCheckTellsAWrongSignatureApart) {
  CaptureServer server;
  S3Storage storage = StorageOn(server);
  const test::TempDir dir;
  const fs::path part = WritePart(dir / "part-1.webm", "abc");
  storage.Put(part, "recordings/r2/part-1.webm");
  Captured put = server.requests().at(0);
  ASSERT_EQ(put.method, "PUT");
  const std::string sent = put.headers.at("authorization");
  EXPECT_EQ(sent, ExpectedAuthorization(put, server.endpoint(), kSecretKey));
  EXPECT_NE(sent, ExpectedAuthorization(put, server.endpoint(), "another-secret"));
  put.body = "abd"; // the x-amz-content-sha256 sent no longer matches the body
  EXPECT_NE(sent, ExpectedAuthorization(put, server.endpoint(), kSecretKey));
}

// A store whose read-back differs from the source is refused, and the object removed.
TEST(S3Signature, AnObjectThatReadsBackDifferentlyIsRemoved) {
  CaptureServer server(Faults{.corrupt_reads = true});
  S3Storage storage = StorageOn(server);
  const test::TempDir dir;
  const fs::path part = WritePart(dir / "part-1.webm", "some part content");
  std::string error;
  try {
    storage.Put(part, "recordings/r3/part-1.webm");
  } catch (const StorageError& e) {
    error = e.what();
  }
  EXPECT_NE(error.find("verification of 'site-a/recordings/r3/part-1.webm' failed"),
            std::string::npos)
      << error;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].method, "DELETE");
}

// S3 asks clients to slow down now and then (503 SlowDown): the store is tried again.
TEST(S3Signature, TransientRefusalsAreRetriedOthersAreNot) {
  const test::TempDir dir;
  const fs::path part = WritePart(dir / "part-1.webm", "abc");
  {
    CaptureServer server(Faults{.failing_puts = 2});
    StorageOn(server).Put(part, "recordings/r4/part-1.webm");
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(requests[2].method, "PUT");
    EXPECT_EQ(requests[3].method, "GET");
  }
  {
    CaptureServer server(Faults{.failing_puts = 3});
    std::string error;
    try {
      StorageOn(server).Put(part, "recordings/r4/part-1.webm");
    } catch (const StorageError& e) {
      error = e.what();
    }
    EXPECT_NE(error.find("HTTP 503 SlowDown: as asked"), std::string::npos) << error;
    EXPECT_EQ(server.requests().size(), 3u) << "3 attempts in all";
  }
  {
    CaptureServer server(Faults{.failing_puts = 1, .put_status = 403, .put_code = "AccessDenied"});
    std::string error;
    try {
      StorageOn(server).Put(part, "recordings/r4/part-1.webm");
    } catch (const StorageError& e) {
      error = e.what();
    }
    EXPECT_NE(error.find("HTTP 403 AccessDenied"), std::string::npos) << error;
    EXPECT_EQ(server.requests().size(), 1u) << "a refusal is final";
  }
}

} // namespace
} // namespace ssr::storage
