#include "sync/protocol/inventory_digest.h"

#include <gtest/gtest.h>

namespace cks::sync {
namespace {

TEST(InventoryDigestTest, IsTheSha256OfTheSortedLines) {
  // printf 'C 4:ab12 2:S1 1\nT 2:S1 7:SafeNet 1\n' | sha256sum
  EXPECT_EQ(inventoryDigest({{"S1", "SafeNet", true}}, {{"ab12", "S1", true}}),
            "15966e0c4ea65cd7f088f58d3e13e96b155e2fee2f88ab5550171cd358f77f16");
}

TEST(InventoryDigestTest, EmptyInventoryIsTheDigestOfNothing) {
  EXPECT_EQ(inventoryDigest({}, {}),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(InventoryDigestTest, DoesNotDependOnOrder) {
  const std::vector<DigestToken> tokens = {{"S1", "SafeNet", true}, {"S2", "Bkav", false}};
  const std::vector<DigestToken> reversed = {tokens[1], tokens[0]};
  const std::vector<DigestCertificate> certificates = {
      {"ab", "S1", true}, {"cd", "S2", false}, {"ef", "S1", false}};
  const std::vector<DigestCertificate> shuffled = {certificates[2], certificates[0],
                                                   certificates[1]};
  EXPECT_EQ(inventoryDigest(tokens, certificates), inventoryDigest(reversed, shuffled));
}

TEST(InventoryDigestTest, PresentFlagChangesTheDigest) {
  EXPECT_NE(inventoryDigest({{"S1", "SafeNet", true}}, {}),
            inventoryDigest({{"S1", "SafeNet", false}}, {}));
  EXPECT_NE(inventoryDigest({}, {{"ab", "S1", true}}), inventoryDigest({}, {{"ab", "S1", false}}));
}

TEST(InventoryDigestTest, EveryFieldCounts) {
  const auto base = inventoryDigest({{"S1", "SafeNet", true}}, {{"ab", "S1", true}});
  EXPECT_NE(base, inventoryDigest({{"S9", "SafeNet", true}}, {{"ab", "S1", true}}));
  EXPECT_NE(base, inventoryDigest({{"S1", "Bkav", true}}, {{"ab", "S1", true}}));
  EXPECT_NE(base, inventoryDigest({{"S1", "SafeNet", true}}, {{"cd", "S1", true}}));
  EXPECT_NE(base, inventoryDigest({{"S1", "SafeNet", true}}, {{"ab", "S9", true}}));
  EXPECT_NE(base, inventoryDigest({{"S1", "SafeNet", true}}, {}));
}

// Manufacturer names have spaces ("SafeNet, Inc."): length-prefixed fields keep two different
// inventories from writing the same line.
TEST(InventoryDigestTest, FieldsWithSpacesCannotCollide) {
  EXPECT_NE(inventoryDigest({{"A B", "C", true}}, {}), inventoryDigest({{"A", "B C", true}}, {}));
}

}  // namespace
}  // namespace cks::sync
