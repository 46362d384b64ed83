// Shared by the store tests: fixed scan times, real certificates from the test PKI, and
// builders for the ScanObservation the agent hands the store.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/certificate.h"
#include "core/subscriber_kind.h"
#include "store/inventory.h"
#include "tests/support/test_pki.h"

namespace cks::store {

using namespace std::chrono_literals;
using std::chrono::sys_days;

// Scan times, as a FixedClock would hand them to the agent: five minutes apart.
inline const TimePoint kT0 = sys_days{2026y / std::chrono::November / 22} + 8h;
inline const TimePoint kT1 = kT0 + 5min;
inline const TimePoint kT2 = kT0 + 10min;
inline const TimePoint kT3 = kT0 + 15min;
inline const TimePoint kNotBefore = sys_days{2025y / std::chrono::March / 15};
inline const TimePoint kNotAfter = sys_days{2027y / std::chrono::March / 15};

inline constexpr char kHost[] = "PC-VANTHU";
inline constexpr char kVendorModule[] = "/usr/lib/libshuttle_p11v220.so";
inline constexpr char kP11KitModule[] = "/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so";

inline const test::TestCa& ca() {
  static const test::TestCa instance;
  return instance;
}

// Real certificates made once for the whole file.
struct Ders {
  std::vector<std::uint8_t> tuyet;
  std::vector<std::uint8_t> tuyet_renewed;    // same holder, new key, new validity
  std::vector<std::uint8_t> tuyet_new_email;  // a different subject (the E attribute changed)
  std::vector<std::uint8_t> organization;
  std::vector<std::uint8_t> tam;
};

inline const Ders& ders() {
  static const Ders instance = [] {
    Ders d;
    d.tuyet = ca().issue(test::individualSpec("Nguyễn Thị Ánh Tuyết", kNotBefore, kNotAfter));
    d.tuyet_renewed = ca().issue(
        test::individualSpec("Nguyễn Thị Ánh Tuyết", kNotAfter - 24h * 30, kNotAfter + 24h * 730));
    d.tuyet_new_email = ca().issue(test::individualSpec("Nguyễn Thị Ánh Tuyết", kNotBefore,
                                                        kNotAfter, "tuyet.nta@quangngai.gov.vn"));
    d.organization =
        ca().issue(test::organizationSpec("UBND XÃ BÌNH CHƯƠNG", kNotBefore, kNotAfter));
    d.tam = ca().issue(test::individualSpec("Lê Văn Tám", kNotBefore, kNotAfter));
    return d;
  }();
  return instance;
}

inline std::string fingerprintOf(const std::vector<std::uint8_t>& der) { return sha256Hex(der); }

inline ScanObservation::SeenCertificate seenCert(const std::vector<std::uint8_t>& der,
                                                 std::string object_id) {
  ScanObservation::SeenCertificate seen;
  seen.certificate = parseCertificateDer(der, SubscriberKindRules{});
  EXPECT_TRUE(seen.certificate.parsed()) << seen.certificate.parse_error;
  seen.der = der;
  seen.object_label = "Certificate " + object_id;
  seen.object_id = std::move(object_id);
  return seen;
}

inline Token token(std::string serial, PinState pin = PinState::Ok) {
  return Token{std::move(serial), "Feitian Technologies Co., Ltd.", "Nguyễn Thị Ánh Tuyết",
               "ePass2003", pin};
}

inline ScanObservation::SeenToken seenToken(Token t,
                                            std::vector<ScanObservation::SeenCertificate> certs,
                                            std::string module = kVendorModule) {
  return ScanObservation::SeenToken{std::move(module), std::move(t), std::move(certs)};
}

// A scan on kHost through the vendor module, which answered with `outcome`.
inline ScanObservation scan(TimePoint at, std::vector<ScanObservation::SeenToken> tokens,
                            std::string outcome = "ok") {
  ScanObservation out;
  out.host = kHost;
  out.at = at;
  out.modules = {{kVendorModule, outcome, outcome == "ok" ? "" : "C_GetSlotList: " + outcome}};
  out.tokens = std::move(tokens);
  return out;
}

}  // namespace cks::store
