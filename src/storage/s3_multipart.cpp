#include "storage/s3_multipart.h"

#include "storage/s3_request.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <memory>

namespace ssr::storage {
namespace {

std::string Hex(const unsigned char* bytes, unsigned int size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[bytes[i] >> 4];
    hex += kHex[bytes[i] & 15];
  }
  return hex;
}

// One-shot digest through OpenSSL (`md`: EVP_md5() or EVP_sha256()).
std::string Digest(const EVP_MD* md, std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, md, nullptr) != 1) {
    throw StorageError("OpenSSL: digest failed");
  }
  return Hex(digest, length);
}

std::string Unquoted(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

// Upload ids are opaque: percent-encode them for the query.
std::string Escaped(const std::string& text) {
  std::unique_ptr<char, void (*)(void*)> escaped(
      curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size())), &curl_free);
  if (!escaped) {
    throw StorageError("S3: out of memory");
  }
  return escaped.get();
}

std::string UploadQuery(const std::string& upload_id) { return "uploadId=" + Escaped(upload_id); }

// "<MD5 of the concatenated binary MD5s of the parts>-<count>", as S3 computes a multipart ETag.
std::string MultipartEtag(const std::vector<UploadedPart>& parts) {
  std::string md5s;
  for (const UploadedPart& p : parts) {
    for (size_t i = 0; i + 1 < p.md5.size(); i += 2) {
      md5s += static_cast<char>(std::stoi(p.md5.substr(i, 2), nullptr, 16));
    }
  }
  return Digest(EVP_md5(), md5s) + "-" + std::to_string(parts.size());
}

} // namespace

std::string CreateMultipartUpload(const S3Config& config, const std::string& object_key,
                                  const std::string& content_type) {
  S3Request create(config, "POST", object_key, "uploads=");
  create.SendBytes({}, Digest(EVP_sha256(), {}), content_type);
  if (const long status = create.Perform(); status != 200) {
    create.FailWithStatus(status);
  }
  std::string upload_id = S3XmlElement(create.response_body(), "UploadId");
  if (upload_id.empty()) {
    throw S3Error("S3 POST '" + object_key + "?uploads': no UploadId in the answer", true);
  }
  return upload_id;
}

UploadedPart UploadPart(const S3Config& config, const std::string& object_key,
                        const std::string& upload_id, int number, uint64_t offset,
                        std::string_view bytes) {
  UploadedPart part;
  part.number = number;
  part.offset = offset;
  part.size = bytes.size();
  part.md5 = Digest(EVP_md5(), bytes);
  // Names in the query sorted, as SigV4's canonical request has them.
  S3Request put(config, "PUT", object_key,
                "partNumber=" + std::to_string(number) + "&" + UploadQuery(upload_id));
  put.SendBytes(bytes, Digest(EVP_sha256(), bytes));
  if (const long status = put.Perform(); status != 200) {
    put.FailWithStatus(status);
  }
  part.etag = Unquoted(put.ResponseHeader("etag"));
  // Under SSE-KMS the ETag is not an MD5; S3 has checked the SHA-256 anyway.
  const bool kms = put.ResponseHeader("x-amz-server-side-encryption").rfind("aws:kms", 0) == 0;
  if (part.etag != part.md5 && !kms) {
    // The bytes S3 keeps are not the ones sent: send them again.
    throw S3Error("S3 PUT '" + object_key + "' part " + std::to_string(number) + ": ETag '" +
                      part.etag + "' is not the MD5 of the bytes sent (" + part.md5 + ")",
                  true);
  }
  return part;
}

std::string CompleteMultipartUpload(const S3Config& config, const std::string& object_key,
                                    const std::string& upload_id,
                                    const std::vector<UploadedPart>& parts) {
  std::string xml = "<CompleteMultipartUpload>";
  for (const UploadedPart& p : parts) {
    xml += "<Part><PartNumber>" + std::to_string(p.number) + "</PartNumber><ETag>\"" + p.etag +
           "\"</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  S3Request complete(config, "POST", object_key, UploadQuery(upload_id));
  complete.SendBytes(xml, Digest(EVP_sha256(), xml), "application/xml");
  const long status = complete.Perform();
  // S3 may answer 200 and still fail: the error is then the document's.
  if (status != 200 || !S3XmlElement(complete.response_body(), "Code").empty()) {
    complete.FailWithStatus(status == 200 ? 500 : status);
  }
  std::string etag = Unquoted(S3XmlElement(complete.response_body(), "ETag"));
  const bool kms = complete.ResponseHeader("x-amz-server-side-encryption").rfind("aws:kms", 0) == 0;
  if (etag.find('-') != std::string::npos && !kms && etag != MultipartEtag(parts)) {
    throw S3Error("S3 POST '" + object_key + "' (complete): ETag '" + etag +
                      "' is not the one of the parts sent (" + MultipartEtag(parts) + ")",
                  false);
  }
  return etag;
}

void AbortMultipartUpload(const S3Config& config, const std::string& object_key,
                          const std::string& upload_id) noexcept {
  try {
    S3Request abort(config, "DELETE", object_key, UploadQuery(upload_id));
    abort.Perform();
  } catch (const std::exception&) {
  }
}

uint64_t ObjectSize(const S3Config& config, const std::string& object_key) {
  S3Request head(config, "HEAD", object_key);
  const long status = head.Perform();
  if (status == 404) {
    throw StorageNotFound("S3 HEAD '" + object_key + "': HTTP 404 (no object)");
  }
  if (status != 200) {
    head.FailWithStatus(status);
  }
  const std::string length = head.ResponseHeader("content-length");
  try {
    return std::stoull(length);
  } catch (const std::exception&) {
    throw S3Error("S3 HEAD '" + object_key + "': no Content-Length", true);
  }
}

} // namespace ssr::storage
