#include "sync/client/enrollment.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "core/crypto.h"
#include "core/openssl_ptr.h"
#include "platform/files.h"
#include "sync/protocol/codec.h"

namespace cks::sync {
namespace {

using Kind = EnrollmentError::Kind;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using RequestPtr = OpenSslPtr<X509_REQ, X509_REQ_free>;
using NamePtr = OpenSslPtr<X509_NAME, X509_NAME_free>;
using BioPtr = OpenSslPtr<BIO, BIO_free>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;

// The hub sees the self-signed certificate only during this one request, but it checks its
// dates against its own clock, and agency PCs' clocks are often days off: ±7 days.
constexpr auto kSelfSignedValidity = std::chrono::days(7);
constexpr auto kSelfSignedBackdate = std::chrono::days(7);
// The self-signed certificate's file, removed when enroll() returns.
constexpr const char* kRequestCertificateFile = "enroll-request.crt";

tl::unexpected<EnrollmentError> failure(Kind kind, std::string message) {
  return tl::unexpected(EnrollmentError{kind, "enrol: " + std::move(message)});
}

// A file of this PC that could not be written before the hub was asked.
tl::unexpected<EnrollmentError> localFailure(const Error& error) {
  return failure(error.code == ErrorCode::Unavailable ? Kind::DiskFull : Kind::Failed,
                 error.message);
}

// What this PC could not keep of an enrolment the hub made: the hub has used the code on an
// identity this PC forgets.
tl::unexpected<EnrollmentError> unkept(const std::string& agent_id, const Error& error) {
  return failure(Kind::Failed, "the hub enrolled this PC as " + agent_id +
                                   " but it could not be kept here (" + error.message +
                                   "); fix that, then enrol again with a new code from the "
                                   "province");
}

// Enrolment errors have always said "OpenSSL error" when OpenSSL left none.
std::string opensslError() { return openSslError("OpenSSL error"); }

template <typename Write>
Result<std::string> pem(Write write) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) return fail("PEM encoding: ", opensslError());
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

Result<NamePtr> hostName(const std::string& host) {
  NamePtr name(X509_NAME_new());
  if (!name || X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8,
                                          reinterpret_cast<const unsigned char*>(host.c_str()), -1,
                                          -1, 0) != 1) {
    return fail("subject CN=", host, ": ", opensslError());
  }
  return name;
}

// A certificate of `key` signed by itself: what the agent shows in the TLS handshake until the
// hub has issued the real one (docs/sync-protocol.md, Transport).
Result<std::string> selfSignedPem(EVP_PKEY* key, const std::string& host, TimePoint now) {
  auto name = hostName(host);
  if (!name) return tl::unexpected(name.error());
  const X509Ptr certificate(X509_new());
  unsigned char serial_bytes[16];
  if (!certificate || RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) {
    return fail("self-signed certificate: ", opensslError());
  }
  serial_bytes[0] &= 0x7f;  // a positive serial
  const BignumPtr serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  const auto not_before = (now - kSelfSignedBackdate).time_since_epoch().count();
  const auto not_after = (now + kSelfSignedValidity).time_since_epoch().count();
  if (!serial || X509_set_version(certificate.get(), X509_VERSION_3) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())) == nullptr ||
      X509_set_subject_name(certificate.get(), name->get()) != 1 ||
      X509_set_issuer_name(certificate.get(), name->get()) != 1 ||
      ASN1_TIME_set(X509_getm_notBefore(certificate.get()), static_cast<time_t>(not_before)) ==
          nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(certificate.get()), static_cast<time_t>(not_after)) ==
          nullptr ||
      X509_set_pubkey(certificate.get(), key) != 1 ||
      X509_sign(certificate.get(), key, EVP_sha256()) == 0) {
    return fail("self-signed certificate: ", opensslError());
  }
  return pem([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate.get()); });
}

Result<std::string> requestPem(EVP_PKEY* key, const std::string& host) {
  auto name = hostName(host);
  if (!name) return tl::unexpected(name.error());
  const RequestPtr request(X509_REQ_new());
  if (!request || X509_REQ_set_version(request.get(), 0) != 1 ||
      X509_REQ_set_subject_name(request.get(), name->get()) != 1 ||
      X509_REQ_set_pubkey(request.get(), key) != 1 ||
      X509_REQ_sign(request.get(), key, EVP_sha256()) == 0) {
    return fail("certificate signing request: ", opensslError());
  }
  return pem([&](BIO* bio) { return PEM_write_bio_X509_REQ(bio, request.get()); });
}

Result<X509Ptr> parseCertificate(const std::string& text, const std::string& what) {
  const BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  X509Ptr certificate(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!certificate) return fail(what, ": no PEM certificate (", opensslError(), ")");
  return certificate;
}

Result<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read ", path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The files an enrolment creates, and what to undo if it does not complete: new files are
// removed, files of a previous enrolment (moved aside to *.previous) are put back.
class Staging {
 public:
  Staging() = default;
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  ~Staging() {
    if (committed_) {
      for (const auto& [path, previous] : moved_) std::filesystem::remove(previous, ignored_);
      return;
    }
    for (const auto& path : created_) std::filesystem::remove(path, ignored_);
    for (const auto& [path, previous] : moved_) std::filesystem::rename(previous, path, ignored_);
  }

  // Moves `path` aside (if it exists) until commit().
  Status moveAside(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) return ok();
    const std::string previous = path + ".previous";
    std::filesystem::rename(path, previous, error);
    if (error) return fail("move ", path, " aside: ", error.message());
    moved_.emplace_back(path, previous);
    return ok();
  }
  void created(const std::string& path) { created_.push_back(path); }
  void commit() { committed_ = true; }

 private:
  std::vector<std::string> created_;
  std::vector<std::pair<std::string, std::string>> moved_;
  std::error_code ignored_;
  bool committed_ = false;
};

// Removes a file when it goes out of scope, whatever happens.
class RemoveOnExit {
 public:
  explicit RemoveOnExit(std::string path) : path_(std::move(path)) {}
  RemoveOnExit(const RemoveOnExit&) = delete;
  RemoveOnExit& operator=(const RemoveOnExit&) = delete;
  ~RemoveOnExit() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }

 private:
  std::string path_;
};

EnrollmentError fromTransport(const TransportError& error) {
  switch (error.code()) {
    case ErrorCode::Unavailable:
      return {Kind::Unreachable, "enrol: the hub cannot be reached: " + error.message};
    case ErrorCode::FailedPrecondition:
      return {Kind::Tls,
              "enrol: the hub's certificate was refused (is --hub-ca the hub's server CA, and the "
              "URL the hub's name?): " +
                  error.message};
    default:
      break;
  }
  return {Kind::Failed, "enrol: " + error.message};
}

EnrollmentError fromRefusal(const HubAnswer& answer) {
  const auto refusal = decodeErrorBody(answer.body);
  const std::string status = std::to_string(answer.status);
  if (!refusal) {
    return {Kind::Failed, "enrol: the hub answered " + status + " without an error body (" +
                              refusal.error().message + ")"};
  }
  if (answer.status == 403 && refusal->error == "enroll_code_invalid") {
    return {Kind::CodeInvalid,
            "enrol: the hub refused the enrolment code: it is unknown, already used or expired; "
            "ask the province for a new one (hub: " +
                refusal->message + ")"};
  }
  const Kind kind = answer.status >= 400 && answer.status < 500 ? Kind::Refused : Kind::Failed;
  return {kind,
          "enrol: the hub answered " + status + " " + refusal->error + ": " + refusal->message};
}

}  // namespace

ErrorCode EnrollmentError::code() const {
  switch (kind) {
    case Kind::AlreadyEnrolled:
      return ErrorCode::Conflict;
    case Kind::Unreachable:
    case Kind::DiskFull:
      return ErrorCode::Unavailable;
    case Kind::Tls:
      return ErrorCode::FailedPrecondition;
    case Kind::CodeInvalid:
    case Kind::Refused:
      return ErrorCode::PermissionDenied;
    case Kind::Failed:
      break;
  }
  return ErrorCode::Internal;
}

tl::expected<EnrollmentResult, EnrollmentError> enroll(const EnrollmentSettings& settings,
                                                       const Clock& clock,
                                                       const TransportFactory& make_transport,
                                                       const EnrollmentRecorder& record) {
  for (const auto& [name, value] :
       {std::pair{"hub URL", &settings.hub_url}, std::pair{"hub CA file", &settings.hub_ca_file},
        std::pair{"enrolment code", &settings.code},
        std::pair{"files directory", &settings.files_dir},
        std::pair{"host name", &settings.host}}) {
    if (value->empty()) return failure(Kind::Failed, std::string(name) + " is not set");
  }
  const auto hub_ca = readFile(settings.hub_ca_file);
  if (!hub_ca) return failure(Kind::Failed, "hub CA: " + hub_ca.error().message);
  if (auto parsed = parseCertificate(*hub_ca, "hub CA " + settings.hub_ca_file); !parsed) {
    return failure(Kind::Failed, parsed.error().message);
  }
  if (auto status = platform::ensureOwnerOnlyFolder(settings.files_dir); !status) {
    return localFailure(status.error());
  }

  const std::filesystem::path dir(settings.files_dir);
  EnrollmentResult result;
  result.key_file = (dir / kAgentKeyFile).string();
  result.certificate_file = (dir / kAgentCertificateFile).string();
  result.agent_ca_file = (dir / kAgentCaFile).string();
  result.hub_ca_file = (dir / kHubCaFile).string();

  Staging staging;
  std::error_code error;
  if (std::filesystem::exists(result.key_file, error)) {
    if (!settings.force) {
      return failure(Kind::AlreadyEnrolled, "this agent is already enrolled (" + result.key_file +
                                                " exists); enrol again with --force to replace it");
    }
    for (const auto* path :
         {&result.key_file, &result.certificate_file, &result.agent_ca_file, &result.hub_ca_file}) {
      if (auto status = staging.moveAside(*path); !status) {
        return failure(Kind::Failed, status.error().message);
      }
    }
  }

  // The key is on disk, owner-only, before anything is sent: whatever the hub issues is bound
  // to a key this machine already holds.
  auto key = makeEcKey();
  if (!key) return failure(Kind::Failed, key.error().message);
  auto key_pem = pem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key->get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  if (!key_pem) return failure(Kind::Failed, key_pem.error().message);
  if (auto status = platform::createOwnerOnlyFile(result.key_file, *key_pem); !status) {
    if (status.error().code != ErrorCode::Conflict) return localFailure(status.error());
    return failure(Kind::AlreadyEnrolled, status.error().message);
  }
  staging.created(result.key_file);

  auto self_signed = selfSignedPem(key->get(), settings.host, clock.now());
  if (!self_signed) return failure(Kind::Failed, self_signed.error().message);
  auto csr = requestPem(key->get(), settings.host);
  if (!csr) return failure(Kind::Failed, csr.error().message);
  const std::string request_certificate = (dir / kRequestCertificateFile).string();
  const RemoveOnExit remove_request_certificate(request_certificate);
  if (auto status = platform::replaceFile(request_certificate, *self_signed); !status) {
    return localFailure(status.error());
  }

  TransportSettings transport_settings;
  transport_settings.hub_url = settings.hub_url;
  transport_settings.hub_ca_file = settings.hub_ca_file;
  transport_settings.client_cert_file = request_certificate;
  transport_settings.client_key_file = result.key_file;
  transport_settings.proxy = settings.proxy;
  transport_settings.timeout = settings.timeout;
  const auto transport = make_transport(transport_settings);
  const auto answer = transport->post(
      "/v1/enroll",
      encode(EnrollRequest{settings.code, *csr, settings.host, settings.agent_version}));
  if (!answer) return tl::unexpected(fromTransport(answer.error()));
  if (answer->status != 200) return tl::unexpected(fromRefusal(*answer));

  Result<EnrollResponse> response = fail("not decoded");
  try {
    response = decodeEnrollResponse(answer->body);
  } catch (const std::exception& e) {  // Poco::RangeException from the codec: see codec_test
    return failure(Kind::Failed, std::string("the hub's answer is malformed: ") + e.what());
  }
  if (!response) {
    return failure(Kind::Failed, "the hub's answer is malformed: " + response.error().message);
  }
  const auto issued = parseCertificate(response->certificate_pem, "issued certificate");
  if (!issued) return failure(Kind::Failed, issued.error().message);
  if (X509_check_private_key(issued->get(), key->get()) != 1) {
    ERR_clear_error();
    return failure(Kind::Failed, "the hub issued a certificate for another key");
  }
  if (auto parsed = parseCertificate(response->agent_ca_pem, "agent CA"); !parsed) {
    return failure(Kind::Failed, parsed.error().message);
  }
  using FileContent = std::pair<const std::string*, const std::string*>;
  for (const auto& [path, content] :
       {FileContent{&result.certificate_file, &response->certificate_pem},
        FileContent{&result.agent_ca_file, &response->agent_ca_pem},
        FileContent{&result.hub_ca_file, &*hub_ca}}) {
    staging.created(*path);
    if (auto status = platform::replaceFile(*path, *content); !status) {
      return unkept(response->agent_id, status.error());
    }
  }
  result.agent_id = response->agent_id;
  result.agency_code = response->agency_code;
  result.agency_name = response->agency_name;
  result.identity = {response->agency_code, response->agency_name, response->parent_body,
                     response->province,    response->place,       response->department};
  result.hub_time = response->hub_time;
  if (record) {
    if (auto status = record(result); !status) return unkept(result.agent_id, status.error());
  }
  staging.commit();
  return result;
}

namespace {

std::string nextOf(const std::string& path) { return path + ".next"; }

// The CN of the certificate in the PEM file `path`; empty when it cannot be read.
std::string commonNameOf(const std::string& path) {
  auto text = readFile(path);
  if (!text) return "";
  auto certificate = parseCertificate(*text, path);
  if (!certificate) {
    ERR_clear_error();
    return "";
  }
  char name[256] = {};
  const int size = X509_NAME_get_text_by_NID(X509_get_subject_name(certificate->get()),
                                             NID_commonName, name, sizeof name);
  return size > 0 ? std::string(name, static_cast<std::size_t>(size)) : "";
}

}  // namespace

Result<bool> undoUnrecordedEnrollment(const std::string& files_dir,
                                      const std::string& recorded_agent_id) {
  namespace fs = std::filesystem;
  const fs::path dir(files_dir);
  const std::string certificate = (dir / kAgentCertificateFile).string();
  if (recorded_agent_id.empty() || commonNameOf(certificate) == recorded_agent_id ||
      commonNameOf(certificate + ".previous") != recorded_agent_id) {
    return false;
  }
  // The certificate last: its *.previous is what says the undo is not finished, so a kill in
  // this loop is finished by the next call.
  for (const char* name : {kAgentKeyFile, kAgentCaFile, kHubCaFile, kAgentCertificateFile}) {
    const std::string path = (dir / name).string();
    std::error_code error;
    if (!fs::exists(path + ".previous", error)) continue;
    fs::rename(path + ".previous", path, error);
    if (error) return fail("put the recorded enrolment's ", path, " back: ", error.message());
  }
  return true;
}

Result<TimePoint> enrolledCertificateExpiry(const std::string& files_dir) {
  const std::string path = (std::filesystem::path(files_dir) / kAgentCertificateFile).string();
  auto text = readFile(path);
  if (!text) return tl::unexpected(text.error());
  auto certificate = parseCertificate(*text, path);
  if (!certificate) return tl::unexpected(certificate.error());
  // Counted from the epoch by OpenSSL: the host's time zone never enters.
  const OpenSslPtr<ASN1_TIME, ASN1_TIME_free> epoch(ASN1_TIME_set(nullptr, 0));
  int days = 0, seconds = 0;
  if (!epoch ||
      ASN1_TIME_diff(&days, &seconds, epoch.get(), X509_get0_notAfter(certificate->get())) != 1) {
    return fail(path, ": its expiry cannot be read (", opensslError(), ")");
  }
  return TimePoint(std::chrono::days(days) + std::chrono::seconds(seconds));
}

Status finishRenewal(const std::string& files_dir) {
  namespace fs = std::filesystem;
  const fs::path dir(files_dir);
  const std::string key = (dir / kAgentKeyFile).string();
  const std::string certificate = (dir / kAgentCertificateFile).string();
  std::error_code error;
  // agent.crt.next is written after agent.key.next, each whole under its name: when the
  // certificate is there, so was the key (renamed already if it is gone).
  if (fs::exists(nextOf(certificate), error)) {
    if (fs::exists(nextOf(key), error)) fs::rename(nextOf(key), key, error);
    if (!error) fs::rename(nextOf(certificate), certificate, error);
    if (error)
      return fail("renew: put the new certificate of ", files_dir, " in place: ", error.message());
  } else if (fs::exists(nextOf(key), error)) {
    fs::remove(nextOf(key), error);
  }
  return ok();
}

Status renewCertificate(const std::string& files_dir, const std::string& host,
                        HubTransport& transport) {
  const std::filesystem::path dir(files_dir);
  auto key = makeEcKey();
  if (!key) return tl::unexpected(key.error().wrap("renew"));
  auto key_pem = pem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key->get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  if (!key_pem) return tl::unexpected(key_pem.error().wrap("renew"));
  auto csr = requestPem(key->get(), host);
  if (!csr) return tl::unexpected(csr.error().wrap("renew"));
  const auto answer = transport.post("/v1/renew", encode(RenewRequest{*csr}));
  if (!answer) {
    return fail(ErrorCode::Unavailable,
                "renew: the hub cannot be reached: ", answer.error().message);
  }
  if (answer->status != 200) {
    const auto refusal = decodeErrorBody(answer->body);
    return fail(answer->status == 404 ? ErrorCode::FailedPrecondition : ErrorCode::Internal,
                "renew: the hub answered ", std::to_string(answer->status), ": ",
                refusal ? refusal->message : answer->body.substr(0, 200));
  }
  Result<RenewResponse> response = fail("not decoded");
  try {
    response = decodeRenewResponse(answer->body);
  } catch (const std::exception& e) {  // Poco::RangeException from the codec: see codec_test
    return fail("renew: the hub's answer is malformed: ", e.what());
  }
  if (!response) return fail("renew: the hub's answer is malformed: ", response.error().message);
  const auto issued = parseCertificate(response->certificate_pem, "renewed certificate");
  if (!issued) return tl::unexpected(issued.error().wrap("renew"));
  if (X509_check_private_key(issued->get(), key->get()) != 1) {
    ERR_clear_error();
    return fail("renew: the hub issued a certificate for another key");
  }
  const std::string key_file = (dir / kAgentKeyFile).string();
  const std::string certificate_file = (dir / kAgentCertificateFile).string();
  CKS_TRY(platform::replaceFile(nextOf(key_file), *key_pem));
  CKS_TRY(platform::replaceFile(nextOf(certificate_file), response->certificate_pem));
  return finishRenewal(files_dir);
}

TransportSettings enrolledTransport(const std::string& files_dir, const std::string& hub_url,
                                    const std::string& proxy, std::chrono::seconds timeout) {
  const std::filesystem::path dir(files_dir);
  TransportSettings settings;
  settings.hub_url = hub_url;
  settings.hub_ca_file = (dir / kHubCaFile).string();
  settings.client_cert_file = (dir / kAgentCertificateFile).string();
  settings.client_key_file = (dir / kAgentKeyFile).string();
  settings.proxy = proxy;
  settings.timeout = timeout;
  return settings;
}

}  // namespace cks::sync
