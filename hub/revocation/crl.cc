#include "hub/revocation/crl.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <utility>

#include "core/crypto.h"
#include "core/time_format.h"
#include "core/wire_names.h"
#include "core/x509_text.h"

namespace cks::hub {
namespace {

using CrlPtr = OpenSslPtr<X509_CRL, X509_CRL_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using BioPtr = OpenSslPtr<BIO, BIO_free>;
using IntegerPtr = OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using EnumeratedPtr = OpenSslPtr<ASN1_ENUMERATED, ASN1_ENUMERATED_free>;

void freeDistPoints(STACK_OF(DIST_POINT) * points) {
  sk_DIST_POINT_pop_free(points, DIST_POINT_free);
}
using DistPointsPtr = OpenSslPtr<STACK_OF(DIST_POINT), freeDistPoints>;

constexpr std::array<std::pair<CrlOutcome, std::string_view>, 8> kOutcomes{{
    {CrlOutcome::Accepted, "accepted"},
    {CrlOutcome::Unchanged, "unchanged"},
    {CrlOutcome::Unreachable, "unreachable"},
    {CrlOutcome::Unreadable, "unreadable"},
    {CrlOutcome::WrongIssuer, "wrong_issuer"},
    {CrlOutcome::BadSignature, "bad_signature"},
    {CrlOutcome::Expired, "expired"},
    {CrlOutcome::Older, "older"},
}};

constexpr std::string_view kPemHeader = "-----BEGIN X509 CRL-----";

tl::unexpected<CrlRefusal> refuse(CrlOutcome outcome, std::string detail) {
  ERR_clear_error();
  return tl::unexpected(CrlRefusal{outcome, std::move(detail)});
}

// The list `bytes` hold, and its DER (the bytes themselves, or the PEM's content).
tl::expected<std::pair<CrlPtr, std::vector<std::uint8_t>>, CrlRefusal> decode(
    std::span<const std::uint8_t> bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (text.find(kPemHeader) != std::string_view::npos) {
    const BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
    if (!crl) return refuse(CrlOutcome::Unreadable, "PEM CRL: " + openSslError());
    const int length = i2d_X509_CRL(crl.get(), nullptr);
    if (length <= 0) return refuse(CrlOutcome::Unreadable, "PEM CRL: " + openSslError());
    std::vector<std::uint8_t> der(static_cast<std::size_t>(length));
    unsigned char* cursor = der.data();
    i2d_X509_CRL(crl.get(), &cursor);
    return std::pair{std::move(crl), std::move(der)};
  }
  const unsigned char* at = bytes.data();
  CrlPtr crl(d2i_X509_CRL(nullptr, &at, static_cast<long>(bytes.size())));
  if (!crl) {
    return refuse(CrlOutcome::Unreadable,
                  "not a CRL (" + std::to_string(bytes.size()) + " bytes): " + openSslError());
  }
  if (at != bytes.data() + bytes.size()) {
    return refuse(CrlOutcome::Unreadable, "bytes after the CRL's end");
  }
  return std::pair{std::move(crl), std::vector<std::uint8_t>(bytes.begin(), bytes.end())};
}

// The entries, their serials written as certificates write theirs.
tl::expected<std::vector<RevokedEntry>, CrlRefusal> entriesOf(X509_CRL* crl) {
  std::vector<RevokedEntry> entries;
  const STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl);
  const int count = revoked != nullptr ? sk_X509_REVOKED_num(revoked) : 0;
  entries.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    X509_REVOKED* item = sk_X509_REVOKED_value(revoked, i);
    auto serial = serialText(X509_REVOKED_get0_serialNumber(item));
    auto at = asn1Time(X509_REVOKED_get0_revocationDate(item));
    if (!serial || !at) {
      return refuse(CrlOutcome::Unreadable, "entry " + std::to_string(i + 1) + " does not read");
    }
    RevokedEntry entry{std::move(*serial), *at, std::nullopt};
    const EnumeratedPtr code(static_cast<ASN1_ENUMERATED*>(
        X509_REVOKED_get_ext_d2i(item, NID_crl_reason, nullptr, nullptr)));
    if (code) entry.reason = crlReasonOfCode(static_cast<int>(ASN1_ENUMERATED_get(code.get())));
    entries.push_back(std::move(entry));
  }
  return entries;
}

// Compares two cRLNumbers written in lowercase hex without leading zeros.
int compareNumbers(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

}  // namespace

std::string_view toString(CrlOutcome outcome) { return wire::nameOf(kOutcomes, outcome); }
bool parseCrlOutcome(std::string_view text, CrlOutcome& out) {
  return wire::valueOf(kOutcomes, text, out);
}

tl::expected<RevocationList, CrlRefusal> readRevocationList(std::span<const std::uint8_t> bytes,
                                                            const IssuingCas& cas, TimePoint now) {
  auto decoded = decode(bytes);
  if (!decoded) return tl::unexpected(decoded.error());
  X509_CRL* crl = decoded->first.get();
  RevocationList list;
  list.issuer = x509NameText(X509_CRL_get_issuer(crl));
  if (X509_CRL_get_ext_by_NID(crl, NID_delta_crl, -1) >= 0) {
    return refuse(CrlOutcome::Unreadable,
                  "a delta CRL of " + list.issuer + " (the hub keeps complete lists only)");
  }
  const std::vector<X509*> signers = cas.named(X509_CRL_get_issuer(crl));
  if (signers.empty()) {
    return refuse(CrlOutcome::WrongIssuer, "issued by " + list.issuer + ", not a configured CA");
  }
  const bool verified = std::any_of(signers.begin(), signers.end(), [&](X509* ca) {
    return X509_CRL_verify(crl, X509_get0_pubkey(ca)) == 1;
  });
  if (!verified) {
    return refuse(CrlOutcome::BadSignature,
                  "the signature does not verify with the key of " + list.issuer);
  }
  const auto this_update = asn1Time(X509_CRL_get0_lastUpdate(crl));
  if (!this_update) return refuse(CrlOutcome::Unreadable, "thisUpdate does not read");
  list.this_update = *this_update;
  if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl)) {
    list.next_update = asn1Time(next);
    if (!list.next_update) return refuse(CrlOutcome::Unreadable, "nextUpdate does not read");
    if (*list.next_update < now) {
      return refuse(CrlOutcome::Expired,
                    "its nextUpdate " + formatIsoUtc(*list.next_update) + " has passed");
    }
  }
  const IntegerPtr number(
      static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl, NID_crl_number, nullptr, nullptr)));
  if (number) list.crl_number = serialText(number.get()).value_or("");
  auto entries = entriesOf(crl);
  if (!entries) return tl::unexpected(entries.error());
  list.entries = std::move(*entries);
  list.der = std::move(decoded->second);
  ERR_clear_error();
  return list;
}

Succession succession(const RevocationList& candidate, const RevocationList& held) {
  int order = 0;
  if (!candidate.crl_number.empty() && !held.crl_number.empty()) {
    order = compareNumbers(candidate.crl_number, held.crl_number);
  } else if (candidate.this_update != held.this_update) {
    order = candidate.this_update < held.this_update ? -1 : 1;
  }
  return order > 0 ? Succession::Newer : (order < 0 ? Succession::Older : Succession::Same);
}

std::vector<std::string> crlDistributionUrls(std::span<const std::uint8_t> der) {
  std::vector<std::string> urls;
  const unsigned char* at = der.data();
  const X509Ptr cert(d2i_X509(nullptr, &at, static_cast<long>(der.size())));
  if (!cert) {
    ERR_clear_error();
    return urls;
  }
  const DistPointsPtr points(static_cast<STACK_OF(DIST_POINT)*>(
      X509_get_ext_d2i(cert.get(), NID_crl_distribution_points, nullptr, nullptr)));
  for (int i = 0; points && i < sk_DIST_POINT_num(points.get()); ++i) {
    const DIST_POINT* point = sk_DIST_POINT_value(points.get(), i);
    if (point->distpoint == nullptr || point->distpoint->type != 0) continue;
    const GENERAL_NAMES* names = point->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, j);
      if (name->type != GEN_URI) continue;
      const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
      std::string url(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                      static_cast<std::size_t>(ASN1_STRING_length(uri)));
      if (url.rfind("http://", 0) == 0 && std::find(urls.begin(), urls.end(), url) == urls.end()) {
        urls.push_back(std::move(url));
      }
    }
  }
  ERR_clear_error();
  return urls;
}

}  // namespace cks::hub
