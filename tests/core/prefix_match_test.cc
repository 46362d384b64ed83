#include "core/prefix_match.h"

#include <gtest/gtest.h>

namespace cks {
namespace {

const std::string kTuyet = "3f7a9c21d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f";
const std::string kAn = "3f7a9c21ffe5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f";
const std::string kClerk = "a0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9f";
const std::vector<std::string> kInventory = {kTuyet, kAn, kClerk};

// The form `openssl x509 -noout -fingerprint -sha256` prints: upper case, colon-separated.
std::string opensslForm(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (!out.empty()) out += ':';
    out += char(std::toupper(hex[i]));
    out += char(std::toupper(hex[i + 1]));
  }
  return out;
}

TEST(PrefixMatchTest, FindsAFingerprintByItsFullHexInAnyCase) {
  auto match = matchFingerprint(kClerk, kInventory);
  EXPECT_EQ(match.outcome, PrefixMatch::Outcome::Found);
  EXPECT_EQ(match.found, kClerk);
  match = matchFingerprint("A0B1C2D3E4F5061728394A5B6C7D8E9FA0B1C2D3E4F5061728394A5B6C7D8E9F",
                           kInventory);
  EXPECT_EQ(match.found, kClerk);
}

TEST(PrefixMatchTest, FindsAFingerprintInTheColonFormOpensslPrints) {
  const auto match = matchFingerprint(opensslForm(kTuyet), kInventory);
  EXPECT_EQ(match.outcome, PrefixMatch::Outcome::Found);
  EXPECT_EQ(match.found, kTuyet);
  EXPECT_EQ(matchFingerprint("a0:b1:c2:d3:e4", kInventory).found, kClerk);
}

TEST(PrefixMatchTest, FindsAFingerprintByAUniquePrefixOfEightHexDigits) {
  const auto match = matchFingerprint("A0B1C2D3", kInventory);
  EXPECT_EQ(match.outcome, PrefixMatch::Outcome::Found);
  EXPECT_EQ(match.found, kClerk);
}

TEST(PrefixMatchTest, ListsTheCandidatesOfAnAmbiguousPrefix) {
  const auto match = matchFingerprint("3f7a9c21", kInventory);
  EXPECT_EQ(match.outcome, PrefixMatch::Outcome::Ambiguous);
  EXPECT_EQ(match.candidates, (std::vector<std::string>{kTuyet, kAn}));
  // One more digit tells them apart.
  EXPECT_EQ(matchFingerprint("3f7a9c21f", kInventory).found, kAn);
}

TEST(PrefixMatchTest, RefusesShortOrNonHexText) {
  EXPECT_EQ(matchFingerprint("3f7a9c2", kInventory).outcome, PrefixMatch::Outcome::Malformed);
  EXPECT_EQ(matchFingerprint("3f:7a:9c", kInventory).outcome, PrefixMatch::Outcome::Malformed);
  EXPECT_EQ(matchFingerprint("Nguyễn Thị", kInventory).outcome, PrefixMatch::Outcome::Malformed);
  EXPECT_EQ(matchFingerprint("", kInventory).outcome, PrefixMatch::Outcome::Malformed);
}

TEST(PrefixMatchTest, SaysNotFoundForAWellFormedFingerprintNobodyHolds) {
  EXPECT_EQ(matchFingerprint("ffffffff", kInventory).outcome, PrefixMatch::Outcome::NotFound);
  EXPECT_EQ(matchFingerprint(std::string(64, 'e'), kInventory).outcome,
            PrefixMatch::Outcome::NotFound);
}

TEST(PrefixMatchTest, ACandidateListedTwiceIsNotAmbiguous) {
  const auto match = matchFingerprint("a0b1c2d3", {kClerk, kClerk});
  EXPECT_EQ(match.outcome, PrefixMatch::Outcome::Found);
}

TEST(PrefixMatchTest, FindsARequestIdByAUniquePrefix) {
  const std::vector<std::string> ids = {"6f1c2a9e-4b1d-4c55-9a0e-2f8d7c6b5a41",
                                        "6f1c2a9e-77aa-4c55-9a0e-2f8d7c6b5a41",
                                        "0b7e3d10-1111-4c55-9a0e-2f8d7c6b5a41"};
  EXPECT_EQ(matchRequestId("0b7e3d10", ids).found, ids[2]);
  EXPECT_EQ(matchRequestId("0B7E3D10-1111", ids).found, ids[2]);
  EXPECT_EQ(matchRequestId(ids[0], ids).found, ids[0]);
  const auto ambiguous = matchRequestId("6f1c2a9e", ids);
  EXPECT_EQ(ambiguous.outcome, PrefixMatch::Outcome::Ambiguous);
  EXPECT_EQ(ambiguous.candidates.size(), 2u);
  EXPECT_EQ(matchRequestId("6f1c2a9e-7", ids).found, ids[1]);
  EXPECT_EQ(matchRequestId("6f1c", ids).outcome, PrefixMatch::Outcome::Malformed);
  EXPECT_EQ(matchRequestId("../../etc", ids).outcome, PrefixMatch::Outcome::Malformed);
  EXPECT_EQ(matchRequestId("deadbeef", ids).outcome, PrefixMatch::Outcome::NotFound);
}

}  // namespace
}  // namespace cks
