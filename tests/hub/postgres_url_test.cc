// The [store] URL of a PostgreSQL hub: recognised by its scheme, checked without connecting,
// and never shown with its password.
#include "hub/postgres_url.h"

#include <gtest/gtest.h>

namespace cks::hub {
namespace {

TEST(PostgresUrlTest, BothSchemesAreRecognised) {
  EXPECT_TRUE(isPostgresUrl("postgresql://db/cks"));
  EXPECT_TRUE(isPostgresUrl("postgres://db/cks"));
  EXPECT_FALSE(isPostgresUrl("sqlite:/srv/hub.db"));
  EXPECT_FALSE(isPostgresUrl("/srv/postgresql://x"));
}

TEST(PostgresUrlTest, ThePasswordIsRemovedFromEveryPlaceItCanStand) {
  EXPECT_EQ(withoutPassword("postgresql://cks:s3cret@db:5432/cks_hub"),
            "postgresql://cks@db:5432/cks_hub");
  EXPECT_EQ(withoutPassword("postgresql://cks:p%40ss@db/cks_hub"), "postgresql://cks@db/cks_hub");
  EXPECT_EQ(withoutPassword("postgresql://cks@db/cks_hub?password=s3cret&sslmode=require"),
            "postgresql://cks@db/cks_hub?sslmode=require");
  EXPECT_EQ(withoutPassword("postgresql://cks@db/cks_hub?sslmode=require&password=s3cret"),
            "postgresql://cks@db/cks_hub?sslmode=require");
  EXPECT_EQ(withoutPassword("postgresql://cks@db/cks_hub?password=s3cret"),
            "postgresql://cks@db/cks_hub");
  EXPECT_EQ(withoutPassword("postgresql://cks:s3cret@/cks_hub?host=/run/postgresql"),
            "postgresql://cks@/cks_hub?host=/run/postgresql");
  EXPECT_EQ(withoutPassword("postgresql://h1,h2:5433/cks_hub?target_session_attrs=read-write"),
            "postgresql://h1,h2:5433/cks_hub?target_session_attrs=read-write");
  EXPECT_EQ(withoutPassword("postgresql://cks:s3cret@db"), "postgresql://cks@db");
  EXPECT_EQ(withoutPassword("/srv/hub.db"), "/srv/hub.db");
}

TEST(PostgresUrlTest, AMalformedUrlIsRefusedWithoutItsPassword) {
  EXPECT_TRUE(checkPostgresUrl("postgresql://cks:s3cret@db:5432/cks_hub"));
  EXPECT_TRUE(checkPostgresUrl("postgresql://cks@/cks_hub?host=/run/postgresql&port=5433"));
  EXPECT_TRUE(checkPostgresUrl("postgresql://h1:5432,h2:5433/cks_hub"));
  for (const char* bad :
       {"postgresql://cks:s3cret@db:99999/cks_hub", "postgresql://cks:s3cret@db/cks_hub?colour=red",
        "postgresql://cks:s3cret@[::1/cks_hub", "postgresql://cks:s3%zzcret@db/cks_hub",
        "postgresql://cks@db/cks_hub?password=s3cret&colour=red"}) {
    const auto checked = checkPostgresUrl(bad);
    ASSERT_FALSE(checked) << bad;
    EXPECT_EQ(checked.error().message.rfind("bad PostgreSQL URL postgresql://cks@", 0), 0u)
        << checked.error().message;
    EXPECT_EQ(checked.error().message.find("s3"), std::string::npos) << checked.error().message;
  }
}

}  // namespace
}  // namespace cks::hub
