// Fuzz target: a certificate revocation list as the hub fetches it from a CA's distribution
// point (hub/revocation/crl.h, readRevocationList: DER or PEM, checked against the configured
// CAs), and the distribution points of a certificate (crlDistributionUrls). The CA is the one
// that signed the seeds (data/crl_ca.pem), so that mutations of a signed list get past the
// issuer's name; the time is fixed, never the wall clock.
#include <chrono>
#include <span>
#include <utility>

#include "hub/revocation/crl.h"
#include "tests/fuzz/fuzz_target.h"

using cks::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cks::hub::IssuingCas cas = [] {
    auto read = cks::hub::IssuingCas::fromFiles({CKS_FUZZ_DATA_DIR "/crl_ca.pem"});
    require(read.has_value(), "data/crl_ca.pem reads");
    return std::move(*read);
  }();
  // 2026-06-01T00:00:00Z: within the seeds' validity.
  const cks::TimePoint now{std::chrono::seconds(1780272000)};
  const std::span<const std::uint8_t> bytes(data, size);
  const auto list = cks::hub::readRevocationList(bytes, cas, now);
  if (list) {
    require(!list->der.empty(), "an accepted list keeps its DER");
    require(cks::hub::succession(*list, *list) == cks::hub::Succession::Same,
            "a list is the same as itself");
  } else {
    require(!list.error().detail.empty(), "a refusal says why");
  }
  for (const auto& url : cks::hub::crlDistributionUrls(bytes)) {
    require(url.rfind("http://", 0) == 0, "only http:// distribution points");
  }
  return 0;
}
