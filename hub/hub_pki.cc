#include "hub/hub_pki.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/certificate.h"
#include "core/crypto.h"
#include "core/openssl_ptr.h"
#include "platform/files.h"
#include "platform/ip_address.h"
#include "store/folder_lock.h"

namespace cks::hub {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using X509Ptr = OpenSslPtr<X509, X509_free>;
using RequestPtr = OpenSslPtr<X509_REQ, X509_REQ_free>;
using NamePtr = OpenSslPtr<X509_NAME, X509_NAME_free>;
using BioPtr = OpenSslPtr<BIO, BIO_free_all>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;
using IntegerPtr = OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using TimePtr = OpenSslPtr<ASN1_TIME, ASN1_TIME_free>;
using ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;

constexpr char kAgentCaKey[] = "agent-ca.key";
constexpr char kAgentCaCert[] = "agent-ca.pem";
constexpr char kServerCaKey[] = "server-ca.key";
constexpr char kServerCaCert[] = "server-ca.pem";
constexpr char kServerKey[] = "server.key";
constexpr char kServerCert[] = "server.pem";

constexpr auto kCaValidity = std::chrono::days(20 * 365);
constexpr auto kServerValidity = std::chrono::days(825);
constexpr auto kServerRenewBefore = std::chrono::days(30);
constexpr auto kAgentValidity = std::chrono::days(2 * 365);
// Issued certificates start an hour early: an agent whose clock runs a little behind must not
// see its brand-new certificate as not yet valid.
constexpr auto kBackdate = std::chrono::hours(1);

Result<std::string> readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path.string(), ": ", std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, size_t(size));
}

std::string keyPem(EVP_PKEY* key) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  CKS_CHECK(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  return bioText(bio.get());
}

std::string certificatePem(const X509* cert) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  CKS_CHECK(PEM_write_bio_X509(bio.get(), cert) == 1);
  return bioText(bio.get());
}

// The PEM object `read` finds in the file at `path` (`what` names it in the error).
template <typename Ptr, typename Read>
Result<Ptr> loadPem(const fs::path& path, Read read, const char* what) {
  auto text = readText(path);
  if (!text) return tl::unexpected(text.error());
  const BioPtr bio(BIO_new_mem_buf(text->data(), int(text->size())));
  Ptr object(read(bio.get(), nullptr, nullptr, nullptr));
  if (!object) return fail(path.string(), ": not a PEM ", what, ": ", openSslError());
  return object;
}

Result<KeyPtr> loadKey(const fs::path& path) {
  return loadPem<KeyPtr>(path, PEM_read_bio_PrivateKey, "private key");
}

Result<X509Ptr> loadCertificate(const fs::path& path) {
  return loadPem<X509Ptr>(path, PEM_read_bio_X509, "certificate");
}

Status addName(X509_NAME* name, const char* field, const std::string& value) {
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 int(value.size()), -1, 0) != 1) {
    return fail("subject ", field, "=", value, ": ", openSslError());
  }
  return ok();
}

Status addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context{};
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  const ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    return fail("extension ", OBJ_nid2sn(nid), "=", value, ": ", openSslError());
  }
  return ok();
}

Status setValidity(X509* cert, TimePoint from, TimePoint until) {
  const TimePtr start(ASN1_TIME_set(nullptr, std::time_t(from.time_since_epoch().count())));
  const TimePtr end(ASN1_TIME_set(nullptr, std::time_t(until.time_since_epoch().count())));
  if (!start || !end || X509_set1_notBefore(cert, start.get()) != 1 ||
      X509_set1_notAfter(cert, end.get()) != 1) {
    return fail("set validity: ", openSslError());
  }
  return ok();
}

// 128 random bits, positive: unique serials without a counter to keep.
Status setRandomSerial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return fail("random serial: ", openSslError());
  bytes[0] &= 0x7f;
  const BignumPtr number(BN_bin2bn(bytes, sizeof bytes, nullptr));
  const IntegerPtr serial(number ? BN_to_ASN1_INTEGER(number.get(), nullptr) : nullptr);
  if (!serial || X509_set_serialNumber(cert, serial.get()) != 1) {
    return fail("set serial: ", openSslError());
  }
  return ok();
}

struct Issuer {
  X509* cert;  // null: self-signed
  EVP_PKEY* key;
};

// Builds and signs one certificate. `subject` is in DER order (O first, CN last).
Result<X509Ptr> issue(const std::vector<std::pair<const char*, std::string>>& subject,
                      EVP_PKEY* public_key, const Issuer& issuer, TimePoint from, TimePoint until,
                      const std::vector<std::pair<int, std::string>>& extensions) {
  X509Ptr cert(X509_new());
  NamePtr name(X509_NAME_new());
  if (!cert || !name || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return fail("X509_new: ", openSslError());
  }
  for (const auto& [field, value] : subject) {
    if (auto status = addName(name.get(), field, value); !status) {
      return tl::unexpected(status.error());
    }
  }
  if (X509_set_subject_name(cert.get(), name.get()) != 1 ||
      X509_set_issuer_name(cert.get(),
                           issuer.cert ? X509_get_subject_name(issuer.cert) : name.get()) != 1 ||
      X509_set_pubkey(cert.get(), public_key) != 1) {
    return fail("set names: ", openSslError());
  }
  if (auto status = setRandomSerial(cert.get()); !status) return tl::unexpected(status.error());
  if (auto status = setValidity(cert.get(), from, until); !status) {
    return tl::unexpected(status.error());
  }
  X509* issuer_cert = issuer.cert ? issuer.cert : cert.get();
  for (const auto& [nid, value] : extensions) {
    if (auto status = addExtension(cert.get(), issuer_cert, nid, value); !status) {
      return tl::unexpected(status.error());
    }
  }
  if (X509_sign(cert.get(), issuer.key, EVP_sha256()) <= 0) {
    return fail("sign: ", openSslError());
  }
  return cert;
}

Result<X509Ptr> makeCa(const std::string& common_name, const std::string& organization,
                       EVP_PKEY* key, TimePoint now) {
  return issue({{"O", organization}, {"CN", common_name}}, key, {nullptr, key}, now - kBackdate,
               now + kCaValidity,
               {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                {NID_key_usage, "critical,keyCertSign,cRLSign"},
                {NID_subject_key_identifier, "hash"}});
}

std::string nameEntry(const X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) return {};
  std::string text(reinterpret_cast<char*>(utf8), size_t(length));
  OPENSSL_free(utf8);
  return text;
}

std::vector<unsigned char> publicKeyDer(const EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  if (length <= 0) return {};
  std::vector<unsigned char> out(der, der + length);
  OPENSSL_free(der);
  return out;
}

// "DNS:name" / "IP:text" for every subjectAltName entry, IPs in inet_ntop form.
std::set<std::string> subjectAltNames(const X509* cert) {
  std::set<std::string> names;
  const GeneralNamesPtr sans(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!sans) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* entry = sk_GENERAL_NAME_value(sans.get(), i);
    int type = 0;
    const auto* value = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(entry, &type));
    const auto* bytes = ASN1_STRING_get0_data(value);
    const int length = ASN1_STRING_length(value);
    if (type == GEN_DNS) {
      names.insert("DNS:" + std::string(reinterpret_cast<const char*>(bytes), size_t(length)));
    } else if (type == GEN_IPADD && (length == 4 || length == 16)) {
      names.insert("IP:" + platform::ipAddressText(
                               std::string(reinterpret_cast<const char*>(bytes), size_t(length))));
    }
  }
  return names;
}

std::set<std::string> wantedServerNames(const std::vector<std::string>& extra) {
  std::set<std::string> names = {"DNS:localhost", "IP:127.0.0.1", "IP:::1"};
  for (const auto& name : extra) {
    if (const auto address = platform::parseIpAddress(name)) {
      names.insert("IP:" + platform::ipAddressText(*address));
    } else {
      names.insert("DNS:" + name);
    }
  }
  return names;
}

TimePoint notAfter(const X509* cert) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &parts) != 1) return TimePoint{};
  return TimePoint(std::chrono::seconds(timegm(&parts)));
}

// Writes a new key (owner-only) and its certificate (readable by all) in place of the old.
Status writeKeyPair(const fs::path& key_path, const fs::path& cert_path, EVP_PKEY* key,
                    const X509* cert) {
  if (auto status =
          platform::replaceFile(key_path.string(), keyPem(key), platform::FileAccess::OwnerOnly);
      !status) {
    return tl::unexpected(status.error().wrap("tls"));
  }
  if (auto status = platform::replaceFile(cert_path.string(), certificatePem(cert),
                                          platform::FileAccess::EveryoneReads);
      !status) {
    return tl::unexpected(status.error().wrap("tls"));
  }
  return ok();
}

struct CaFiles {
  KeyPtr key;
  X509Ptr cert;
};

// Loads a CA, or makes it when neither file exists. One file without the other is refused:
// silently replacing a CA would cut off every agent that trusts or holds its certificates.
Result<CaFiles> loadOrMakeCa(const fs::path& dir, const char* key_name, const char* cert_name,
                             const std::string& common_name, const std::string& organization,
                             TimePoint now) {
  const fs::path key_path = dir / key_name;
  const fs::path cert_path = dir / cert_name;
  std::error_code ignored;
  const bool has_key = fs::exists(key_path, ignored);
  const bool has_cert = fs::exists(cert_path, ignored);
  if (has_key != has_cert) {
    return fail("tls: ", (has_key ? cert_path : key_path).string(), " is missing but ",
                (has_key ? key_path : cert_path).string(),
                " exists (restore both from a backup; a new CA would cut off every agent)");
  }
  if (has_key) {
    auto key = loadKey(key_path);
    if (!key) return tl::unexpected(key.error().wrap("tls"));
    auto cert = loadCertificate(cert_path);
    if (!cert) return tl::unexpected(cert.error().wrap("tls"));
    if (X509_check_private_key(cert->get(), key->get()) != 1) {
      ERR_clear_error();
      return fail("tls: ", cert_path.string(), " does not belong to ", key_path.string());
    }
    return CaFiles{std::move(*key), std::move(*cert)};
  }
  auto key = makeEcKey();
  if (!key) return tl::unexpected(key.error().wrap("tls"));
  auto cert = makeCa(common_name, organization, key->get(), now);
  if (!cert) return tl::unexpected(cert.error().wrap("tls: make " + common_name));
  CKS_TRY(writeKeyPair(key_path, cert_path, key->get(), cert->get()));
  return CaFiles{std::move(*key), std::move(*cert)};
}

}  // namespace

struct HubPki::Impl {
  CaFiles agent_ca;
  CaFiles server_ca;
  const Clock* clock = nullptr;
};

HubPki::HubPki(std::unique_ptr<Impl> impl, std::string dir)
    : impl_(std::move(impl)), dir_(std::move(dir)) {}
HubPki::~HubPki() = default;

Result<std::unique_ptr<HubPki>> HubPki::open(const std::string& dir,
                                             const std::vector<std::string>& server_names,
                                             const std::string& organization, const Clock& clock) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return fail("tls: create ", dir, ": ", error.message());
  // The hub and an `admin` command started at the same moment both open the PKI: one makes the
  // CAs, the other waits and loads them (never one file of a pair without the other).
  auto lock = store::FolderLock::acquire(dir);
  if (!lock) return tl::unexpected(lock.error().wrap("tls"));
  const TimePoint now = clock.now();
  auto impl = std::make_unique<Impl>();
  impl->clock = &clock;
  auto agent_ca = loadOrMakeCa(dir, kAgentCaKey, kAgentCaCert, "cks agent CA", organization, now);
  if (!agent_ca) return tl::unexpected(agent_ca.error());
  impl->agent_ca = std::move(*agent_ca);
  auto server_ca =
      loadOrMakeCa(dir, kServerCaKey, kServerCaCert, "cks hub server CA", organization, now);
  if (!server_ca) return tl::unexpected(server_ca.error());
  impl->server_ca = std::move(*server_ca);

  // The server certificate is cheap to replace: agents trust its CA, not the certificate.
  const fs::path key_path = fs::path(dir) / kServerKey;
  const fs::path cert_path = fs::path(dir) / kServerCert;
  const auto wanted = wantedServerNames(server_names);
  bool reissue = true;
  if (fs::exists(key_path, error) && fs::exists(cert_path, error)) {
    auto key = loadKey(key_path);
    auto cert = loadCertificate(cert_path);
    reissue = !key || !cert || X509_check_private_key(cert->get(), key->get()) != 1 ||
              X509_verify(cert->get(), impl->server_ca.key.get()) != 1 ||
              subjectAltNames(cert->get()) != wanted ||
              notAfter(cert->get()) - now < kServerRenewBefore;
    ERR_clear_error();
  }
  if (reissue) {
    auto key = makeEcKey();
    if (!key) return tl::unexpected(key.error().wrap("tls"));
    std::string san;
    for (const auto& name : wanted) san += (san.empty() ? "" : ",") + name;
    auto cert = issue({{"O", organization}, {"CN", "cks-hub"}}, key->get(),
                      {impl->server_ca.cert.get(), impl->server_ca.key.get()}, now - kBackdate,
                      now + kServerValidity,
                      {{NID_basic_constraints, "critical,CA:FALSE"},
                       {NID_key_usage, "critical,digitalSignature"},
                       {NID_ext_key_usage, "serverAuth"},
                       {NID_subject_key_identifier, "hash"},
                       {NID_authority_key_identifier, "keyid"},
                       {NID_subject_alt_name, san}});
    if (!cert) return tl::unexpected(cert.error().wrap("tls: server certificate"));
    CKS_TRY(writeKeyPair(key_path, cert_path, key->get(), cert->get()));
  }
  fs::permissions(dir, fs::perms::owner_all, error);  // 0700: the keys' folder is private
  return std::unique_ptr<HubPki>(new HubPki(std::move(impl), dir));
}

std::string HubPki::agentCaPem() const { return certificatePem(impl_->agent_ca.cert.get()); }
std::string HubPki::serverCaPem() const { return certificatePem(impl_->server_ca.cert.get()); }
std::string HubPki::serverCaFingerprint() const {
  unsigned char* der = nullptr;
  const int length = i2d_X509(impl_->server_ca.cert.get(), &der);
  CKS_CHECK(length > 0);
  const std::string hex = sha256Hex({der, size_t(length)});
  OPENSSL_free(der);
  return hex;
}
std::string HubPki::agentCaFile() const { return (fs::path(dir_) / kAgentCaCert).string(); }
std::string HubPki::serverCertificateFile() const {
  return (fs::path(dir_) / kServerCert).string();
}
std::string HubPki::serverKeyFile() const { return (fs::path(dir_) / kServerKey).string(); }

namespace {

Result<RequestPtr> readRequest(const std::string& csr_pem) {
  const BioPtr bio(BIO_new_mem_buf(csr_pem.data(), int(csr_pem.size())));
  RequestPtr request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!request) {
    ERR_clear_error();
    return fail("csr: not a PEM certificate request");
  }
  EVP_PKEY* key = X509_REQ_get0_pubkey(request.get());
  if (key == nullptr || X509_REQ_verify(request.get(), key) != 1) {
    ERR_clear_error();
    return fail("csr: its signature does not verify with its own key");
  }
  return request;
}

}  // namespace

Result<std::vector<unsigned char>> HubPki::csrPublicKey(const std::string& csr_pem) const {
  auto request = readRequest(csr_pem);
  if (!request) return tl::unexpected(request.error());
  return publicKeyDer(X509_REQ_get0_pubkey(request->get()));
}

Result<std::string> HubPki::signAgentCsr(const std::string& csr_pem, const std::string& agent_id,
                                         const std::string& agency_code) const {
  auto request = readRequest(csr_pem);
  if (!request) return tl::unexpected(request.error());
  const TimePoint now = impl_->clock->now();
  auto cert = issue({{"O", agency_code}, {"OU", "cks-agent"}, {"CN", agent_id}},
                    X509_REQ_get0_pubkey(request->get()),
                    {impl_->agent_ca.cert.get(), impl_->agent_ca.key.get()}, now - kBackdate,
                    now + kAgentValidity,
                    {{NID_basic_constraints, "critical,CA:FALSE"},
                     {NID_key_usage, "critical,digitalSignature"},
                     {NID_ext_key_usage, "clientAuth"},
                     {NID_subject_key_identifier, "hash"},
                     {NID_authority_key_identifier, "keyid"}});
  if (!cert) return tl::unexpected(cert.error().wrap("enroll: sign the agent certificate"));
  return certificatePem(cert->get());
}

ClientIdentity HubPki::identify(const X509* certificate) const {
  ClientIdentity identity;
  if (certificate == nullptr) return identity;
  // OpenSSL 3 takes these arguments as non-const although it does not change them.
  X509* cert = const_cast<X509*>(certificate);
  identity.public_key = publicKeyDer(X509_get0_pubkey(cert));
  const X509_NAME* subject = X509_get_subject_name(cert);
  if (X509_NAME_cmp(X509_get_issuer_name(cert),
                    X509_get_subject_name(impl_->agent_ca.cert.get())) == 0 &&
      X509_verify(cert, impl_->agent_ca.key.get()) == 1) {
    identity.agent_id = nameEntry(subject, NID_commonName);
    identity.agency_code = nameEntry(subject, NID_organizationName);
    if (!identity.agent_id.empty() && !identity.agency_code.empty() &&
        nameEntry(subject, NID_organizationalUnitName) == "cks-agent") {
      identity.kind = ClientIdentity::Kind::Agent;
    }
  } else if (X509_check_issued(cert, cert) == X509_V_OK &&
             X509_verify(cert, X509_get0_pubkey(cert)) == 1) {
    identity.kind = ClientIdentity::Kind::SelfSigned;
  }
  ERR_clear_error();
  return identity;
}

}  // namespace cks::hub
