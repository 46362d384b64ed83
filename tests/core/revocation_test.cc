#include "core/revocation.h"

#include <gtest/gtest.h>

#include <chrono>

#include "core/labels.h"
#include "core/time_format.h"

namespace cks {
namespace {

using namespace std::chrono_literals;

const TimePoint kThisUpdate = *parseIsoUtc("2026-12-01T03:00:00Z");
const TimePoint kNextUpdate = *parseIsoUtc("2026-12-08T03:00:00Z");

HeldListing held(bool listed, std::optional<CrlReason> reason = std::nullopt) {
  return {kThisUpdate, kNextUpdate, listed, kThisUpdate - 48h, reason};
}

TEST(RevocationTest, NoListOfTheIssuerIsUnknownWithoutAnAsOf) {
  EXPECT_EQ(revocationStatusAt(std::nullopt, kThisUpdate), RevocationStatus{});
}

TEST(RevocationTest, ACurrentListVouchesForWhatItDoesNotList) {
  EXPECT_EQ(revocationStatusAt(held(false), kNextUpdate),
            (RevocationStatus{RevocationState::Good, kThisUpdate, std::nullopt, std::nullopt}));
  EXPECT_EQ(revocationStatusAt(held(true, CrlReason::KeyCompromise), kThisUpdate + 1h),
            (RevocationStatus{RevocationState::Revoked, kThisUpdate, kThisUpdate - 48h,
                              CrlReason::KeyCompromise}));
}

TEST(RevocationTest, AStaleListTurnsGoodAndHeldIntoUnknownSinceItsNextUpdateButNotRevoked) {
  const TimePoint month_later = kNextUpdate + 24h * 30;
  EXPECT_EQ(revocationStatusAt(held(false), month_later),
            (RevocationStatus{RevocationState::Unknown, kNextUpdate, std::nullopt, std::nullopt}));
  EXPECT_EQ(revocationStatusAt(held(true, CrlReason::CertificateHold), month_later).state,
            RevocationState::Unknown);
  EXPECT_EQ(revocationStatusAt(held(true, CrlReason::KeyCompromise), month_later).state,
            RevocationState::Revoked);
  EXPECT_EQ(revocationStatusAt(held(true), month_later).state, RevocationState::Revoked);
}

TEST(RevocationTest, AListWithoutNextUpdateStaysCurrent) {
  HeldListing listing = held(false);
  listing.next_update.reset();
  EXPECT_EQ(revocationStatusAt(listing, kThisUpdate + 24h * 365).state, RevocationState::Good);
}

TEST(RevocationTest, WireNamesAreRfc5280sAndReadBack) {
  EXPECT_EQ(toString(CrlReason::CaCompromise), "cACompromise");
  EXPECT_EQ(toString(CrlReason::RemoveFromCrl), "removeFromCRL");
  for (const CrlReason reason : allCrlReasons()) {
    CrlReason read{};
    EXPECT_TRUE(parseCrlReason(toString(reason), read));
    EXPECT_EQ(read, reason);
    EXPECT_EQ(crlReasonOfCode(static_cast<int>(reason)), reason);
  }
  EXPECT_EQ(allCrlReasons().size(), 10u);
  EXPECT_EQ(crlReasonOfCode(7), std::nullopt);  // unused in RFC 5280
  EXPECT_EQ(crlReasonOfCode(11), std::nullopt);
  RevocationState state{};
  EXPECT_TRUE(parseRevocationState("revoked", state));
  EXPECT_EQ(state, RevocationState::Revoked);
  ChainStatus chain{};
  EXPECT_TRUE(parseChainStatus("government", chain));
  EXPECT_EQ(chain, ChainStatus::Government);
  EXPECT_FALSE(parseChainStatus("goverment", chain));
}

TEST(RevocationTest, DescribesAStatusInVietnameseByDefaultAndEnglish) {
  const RevocationStatus revoked{RevocationState::Revoked, kThisUpdate, kThisUpdate - 48h,
                                 CrlReason::KeyCompromise};
  EXPECT_EQ(describe(revoked, Language::Vietnamese),
            "Đã bị thu hồi ngày 29/11/2026 (Khóa bí mật bị lộ)");
  EXPECT_EQ(describe(revoked, Language::English), "Revoked on 29/11/2026 (Key compromised)");
  // 20:00 UTC is already the next day in Vietnam.
  const RevocationStatus unknown{RevocationState::Unknown, *parseIsoUtc("2026-12-08T20:00:00Z"),
                                 std::nullopt, std::nullopt};
  EXPECT_EQ(describe(unknown, Language::Vietnamese), "Chưa rõ từ ngày 09/12/2026");
  EXPECT_EQ(describe(RevocationStatus{}, Language::Vietnamese), "Chưa rõ");
  EXPECT_EQ(describe({RevocationState::Good, kThisUpdate, std::nullopt, std::nullopt},
                     Language::Vietnamese),
            "Chưa bị thu hồi (theo danh sách thu hồi ngày 01/12/2026)");
  EXPECT_EQ(label(ChainStatus::Other, Language::Vietnamese),
            "Không thuộc chuỗi chứng thực chuyên dùng Chính phủ");
}

}  // namespace
}  // namespace cks
