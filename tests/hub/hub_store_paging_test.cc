// The store's paged lists, on SQLite and on PostgreSQL alike: a cursor walk returns every row
// once in order for each certificate sort (with ties on the sort key), every filter (scope,
// search, the expiry window's boundaries), the once-per-agency choice across a page boundary,
// a bad cursor refused as InvalidArgument, tokens, alerts and requests paged, the upgrade of a
// store of the previous schema to the one with the paging indexes, the choice made at ingest
// (schema 9 for certificates, 11 for tokens): after each push and revocation, and for a store of
// before it, and the search through its text index (schema 11) as the choice changes.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "core/time_format.h"
#include "hub/enroll_code.h"
#include "hub/store/hub_store.h"
#include "hub/store/postgres_connection.h"
#include "hub/store/schema.h"
#include "hub/store/sqlite_pool.h"
#include "sync/protocol/codec.h"
#include "tests/hub/hub_under_test.h"
#include "tests/hub/store_backend.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_pki.h"

namespace cks::hub {
namespace {

using namespace std::chrono_literals;
using test::certificateBody;
using test::entryJson;
using test::pushJson;
using test::tokenBody;

// 12:00 on 22/11/2026 in Vietnam.
const TimePoint kNow = *parseIsoUtc("2026-11-22T05:00:00Z");
const TimePoint kIssued = *parseIsoUtc("2026-01-01T00:00:00Z");

class HubStorePagingTest : public test::StoreTest {
 protected:
  std::string enrolled(const std::string& agency) {
    return test::enrollAgent(*store_, agency, "UBND " + agency, "PC-" + agency, kNow);
  }

  // Pushes `entries` as the agent's next ones.
  void push(const std::string& agent, const std::vector<std::string>& entries) {
    auto outcome = store_->ingest().push(agent, test::pushBatchOf(pushJson(entries)), kNow);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->kind, PushOutcome::Kind::Acked) << outcome->message;
  }

  // Token `serial` plugged into `agent`'s PC with `certificates` on it, seen at `at`.
  void sees(const std::string& agent, const std::string& serial,
            const std::vector<std::vector<std::uint8_t>>& certificates, long& seq,
            const std::string& at = "2026-11-22T04:50:38Z") {
    std::vector<std::string> entries{
        entryJson(seq, newUuid(), "token_inserted", tokenBody(serial), at)};
    ++seq;
    for (const auto& der : certificates) {
      entries.push_back(
          entryJson(seq++, newUuid(), "certificate_appeared", certificateBody(serial, der), at));
    }
    push(agent, entries);
  }

  std::vector<std::uint8_t> issued(const std::string& name, TimePoint not_after,
                                   TimePoint not_before = kIssued) {
    auto spec = test::individualSpec(name, not_before, not_after);
    spec.serial_hex = "5A" + std::to_string(100 + ++serials_);  // each its own
    return ca_.issue(spec);
  }

  Page<HubCertificate> page(CertificateQuery query) {
    if (query.now == TimePoint{}) query.now = kNow;
    auto got = store_->views().certificates(query);
    EXPECT_TRUE(got) << got.error().message;
    return got ? *got : Page<HubCertificate>{};
  }

  // Every certificate `query` names, walked `limit` rows at a time.
  std::vector<HubCertificate> walk(CertificateQuery query, int limit) {
    std::vector<HubCertificate> out;
    query.page.limit = limit;
    for (int pages = 0; pages < 100; ++pages) {
      auto got = page(query);
      EXPECT_LE(got.items.size(), size_t(limit));
      for (auto& hc : got.items) out.push_back(std::move(hc));
      if (got.next_cursor.empty()) return out;
      query.page.cursor = got.next_cursor;
    }
    ADD_FAILURE() << "the walk does not end";
    return out;
  }

  static std::vector<std::string> names(const std::vector<HubCertificate>& list) {
    std::vector<std::string> out;
    for (const auto& hc : list) out.push_back(hc.certificate.certificate.common_name);
    return out;
  }

  // Two agencies; the first sees five certificates (ties on expiry and on name), the second
  // three of the same: eight lines in the province's view.
  void twoAgencies() {
    const std::string a = enrolled("H21.09");
    const std::string b = enrolled("H21.10");
    const auto c1 = issued("Nguyen Van An", kNow + 24h * 100);
    const auto c2 = issued("Tran Thi Binh", kNow + 24h * 100);
    const auto c3 = issued("Nguyen Van An", kNow + 24h * 200);
    const auto c4 = issued("Le Van Cuong", kNow + 24h * 100);
    const auto c5 = issued("Pham Thi Dung", kNow + 24h * 300);
    long seq_a = 1;
    long seq_b = 1;
    sees(a, "TA", {c1, c2, c3, c4, c5}, seq_a);
    sees(b, "TB", {c1, c2, c3}, seq_b);
  }

  // A second pool on the store's database, at the current schema.
  std::unique_ptr<ConnectionPool> rawPool() {
    const bool sqlite = GetParam() == test::StoreBackend::Sqlite;
    auto pool = sqlite ? openSqlitePool(url_, sqliteMigrations())
                       : openPostgresPool(url_, postgresMigrations());
    EXPECT_TRUE(pool) << pool.error().message;
    return pool ? std::move(*pool) : nullptr;
  }

  // Every token of the province's view as one line each, in the list's order.
  std::vector<std::string> tokenLines(const ViewScope& scope = {}) {
    std::vector<std::string> out;
    TokenQuery query{scope, {2, ""}};
    for (int pages = 0; pages < 50; ++pages) {
      auto got = store_->views().tokens(query);
      EXPECT_TRUE(got) << got.error().message;
      if (!got) break;
      for (const auto& t : got->items) {
        const auto& it = t.token;
        out.push_back(t.agency_code + " " + it.token.serial + " " + it.token.manufacturer + " " +
                      t.agent_id + " " + it.token.label + " " + it.token.model + " " +
                      std::string(toString(it.token.pin_state)) + " " +
                      (it.present ? "in" : "out") + " " + formatIsoUtc(it.first_seen) + " " +
                      formatIsoUtc(it.last_seen) + " " + std::to_string(it.cert_count) + " " +
                      it.last_host);
      }
      if (got->next_cursor.empty()) break;
      query.page.cursor = got->next_cursor;
    }
    return out;
  }

  test::TestCa ca_;
  int serials_ = 0;
};

using Key = std::tuple<std::string, std::string, std::string, std::string>;

Key keyOf(const HubCertificate& hc, CertificateSort sort) {
  const auto& c = hc.certificate.certificate;
  const std::string not_after = formatIsoUtc(c.not_after);
  switch (sort) {
    case CertificateSort::CommonName:
      return {c.common_name, hc.agency_code, c.fingerprint_sha256, ""};
    case CertificateSort::Agency:
      return {hc.agency_code, not_after, c.common_name, c.fingerprint_sha256};
    case CertificateSort::NotAfter:
      break;
  }
  return {not_after, hc.agency_code, c.common_name, c.fingerprint_sha256};
}

TEST_P(HubStorePagingTest, ACursorWalkReturnsEveryRowOnceInOrderForEachSort) {
  twoAgencies();
  for (const auto sort :
       {CertificateSort::NotAfter, CertificateSort::CommonName, CertificateSort::Agency}) {
    SCOPED_TRACE(int(sort));
    CertificateQuery query;
    query.sort = sort;
    const auto whole = page(query);
    ASSERT_EQ(whole.items.size(), 8u);
    EXPECT_TRUE(whole.next_cursor.empty());
    for (const int limit : {1, 2, 3, 7, 8}) {
      SCOPED_TRACE(limit);
      const auto walked = walk(query, limit);
      ASSERT_EQ(walked.size(), 8u);
      std::set<std::pair<std::string, std::string>> seen;
      for (size_t i = 0; i < walked.size(); ++i) {
        EXPECT_TRUE(seen.insert({walked[i].agency_code,
                                 walked[i].certificate.certificate.fingerprint_sha256})
                        .second);
        EXPECT_EQ(walked[i].agent_id, whole.items[i].agent_id);
        EXPECT_EQ(walked[i].certificate.certificate.fingerprint_sha256,
                  whole.items[i].certificate.certificate.fingerprint_sha256);
        if (i > 0) {
          EXPECT_LT(keyOf(walked[i - 1], sort), keyOf(walked[i], sort));
        }
      }
    }
  }
  // A page of exactly the rows left ends the walk with no cursor.
  CertificateQuery query;
  query.page.limit = 8;
  EXPECT_TRUE(page(query).next_cursor.empty());
  query.page.limit = 7;
  EXPECT_FALSE(page(query).next_cursor.empty());
}

TEST_P(HubStorePagingTest, ScopeAndSearchFilterTheList) {
  twoAgencies();
  CertificateQuery query;
  query.scope = {"H21.10", ""};
  EXPECT_EQ(walk(query, 2).size(), 3u);
  const std::string agent = walk(query, 2)[0].agent_id;
  query.scope = {"", agent};
  EXPECT_EQ(walk(query, 2).size(), 3u);
  query.scope = {"H21.09", ""};
  EXPECT_EQ(walk(query, 2).size(), 5u);

  // A common name containing the text, in any case (ASCII).
  query.scope = {};
  query.search = "VAN";
  query.sort = CertificateSort::CommonName;
  EXPECT_EQ(names(walk(query, 2)),
            (std::vector<std::string>{"Le Van Cuong", "Nguyen Van An", "Nguyen Van An",
                                      "Nguyen Van An", "Nguyen Van An"}));
  query.search = "thi d";
  EXPECT_EQ(names(walk(query, 2)), (std::vector<std::string>{"Pham Thi Dung"}));
  query.search = "50%";  // LIKE's wildcards are text
  EXPECT_TRUE(walk(query, 2).empty());

  // A serial or a fingerprint starting with the text, in any case.
  query.search = "";
  query.sort = CertificateSort::NotAfter;  // the latest expiry last
  const auto all = walk(query, 10);
  const auto& dung = all.back().certificate.certificate;
  ASSERT_EQ(dung.common_name, "Pham Thi Dung");
  std::string prefix = dung.fingerprint_sha256.substr(0, 12);
  std::transform(prefix.begin(), prefix.end(), prefix.begin(), ::toupper);
  query.search = prefix;
  EXPECT_EQ(names(walk(query, 2)), (std::vector<std::string>{"Pham Thi Dung"}));
  query.search = dung.serial;
  EXPECT_EQ(names(walk(query, 2)), (std::vector<std::string>{"Pham Thi Dung"}));
  query.search = dung.fingerprint_sha256.substr(1, 12);  // not a prefix
  EXPECT_TRUE(walk(query, 2).empty());
}

TEST_P(HubStorePagingTest, TheExpiryWindowCountsCalendarDaysLeftAndOnlyValidCertificates) {
  const std::string a = enrolled("H21.09");
  long seq = 1;
  sees(a, "T1",
       {// 23:59 on 02/12 in Vietnam: exactly 10 days left.
        issued("Ten Days", *parseIsoUtc("2026-12-02T16:59:00Z")),
        // 00:00 on 03/12: 11 days.
        issued("Eleven Days", *parseIsoUtc("2026-12-02T17:00:00Z")),
        // Its last day: 0 days.
        issued("Last Day", kNow + 1h), issued("Expired", kNow - 1h),
        issued("Not Yet Valid", kNow + 24h * 5, kNow + 1h)},
       seq);
  CertificateQuery query;
  query.expiring_within_days = 10;
  EXPECT_EQ(names(walk(query, 1)), (std::vector<std::string>{"Last Day", "Ten Days"}));
  query.expiring_within_days = 11;
  EXPECT_EQ(names(walk(query, 1)),
            (std::vector<std::string>{"Last Day", "Ten Days", "Eleven Days"}));
  query.expiring_within_days = 0;
  EXPECT_EQ(names(walk(query, 1)), (std::vector<std::string>{"Last Day"}));
  // The same as the agent's rule (Certificate::daysLeft, statusAt), certificate by certificate.
  query.expiring_within_days.reset();
  for (const auto& hc : walk(query, 10)) {
    const auto& c = hc.certificate.certificate;
    const bool expected = c.statusAt(kNow, 0) != CertificateStatus::NotYetValid &&
                          c.statusAt(kNow, 0) != CertificateStatus::Expired &&
                          c.daysLeft(kNow) <= 10;
    CertificateQuery one;
    one.search = c.fingerprint_sha256;
    one.expiring_within_days = 10;
    EXPECT_EQ(walk(one, 5).size(), expected ? 1u : 0u) << c.common_name;
  }
}

TEST_P(HubStorePagingTest, TheOncePerAgencyChoiceHoldsAcrossPageBoundaries) {
  const auto x = issued("Certificate X", kNow + 24h * 30);
  const auto y = issued("Certificate Y", kNow + 24h * 60);
  // The first PC saw both early and still has the token plugged in; the second saw them
  // later, then the token was taken out.
  const std::string first = enrolled("H21.09");
  long seq_first = 1;
  sees(first, "T1", {x, y}, seq_first, "2026-11-01T00:00:00Z");
  const std::string second = enrolled("H21.09");
  long seq_second = 1;
  sees(second, "T1", {x, y}, seq_second, "2026-11-21T00:00:00Z");
  push(second, {entryJson(seq_second++, newUuid(), "token_removed", tokenBody("T1"),
                          "2026-11-21T01:00:00Z")});
  CertificateQuery query;
  query.scope = {"H21.09", ""};
  const auto walked = walk(query, 1);
  ASSERT_EQ(names(walked), (std::vector<std::string>{"Certificate X", "Certificate Y"}));
  for (const auto& hc : walked) {
    EXPECT_EQ(hc.agent_id, first);
    EXPECT_TRUE(hc.certificate.present);
    EXPECT_EQ(hc.certificate.first_seen, *parseIsoUtc("2026-11-01T00:00:00Z"));
    EXPECT_EQ(hc.certificate.token_serials, (std::vector<std::string>{"T1"}));
  }
  // Each PC's own view still has both.
  query.scope = {"", second};
  EXPECT_EQ(walk(query, 1).size(), 2u);
}

TEST_P(HubStorePagingTest, ABadCursorIsAnInvalidArgument) {
  twoAgencies();
  CertificateQuery query;
  query.page.limit = 2;
  const auto first = page(query);
  ASSERT_FALSE(first.next_cursor.empty());
  for (const std::string& bad :
       std::vector<std::string>{"zz", "abc", "00", first.next_cursor + "00",
                                first.next_cursor.substr(0, first.next_cursor.size() - 2)}) {
    query.page.cursor = bad;
    auto got = store_->views().certificates(query);
    ASSERT_FALSE(got) << bad;
    EXPECT_EQ(got.error().code, ErrorCode::InvalidArgument);
  }
  // A cursor of another order.
  query.page.cursor = first.next_cursor;
  query.sort = CertificateSort::CommonName;
  auto other = store_->views().certificates(query);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::InvalidArgument);
  auto alerts = store_->views().alerts({"", true, {1, first.next_cursor}});
  ASSERT_FALSE(alerts);
  EXPECT_EQ(alerts.error().code, ErrorCode::InvalidArgument);
  auto requests = store_->requestDesk().requests({"", std::nullopt, "", {1, "xyz"}});
  ASSERT_FALSE(requests);
  EXPECT_EQ(requests.error().code, ErrorCode::InvalidArgument);
}

TEST_P(HubStorePagingTest, AlertsArePagedInTheirOrder) {
  const std::string a = enrolled("H21.09");
  const std::string b = enrolled("H21.10");
  std::vector<std::string> entries_a;
  std::vector<std::string> entries_b;
  long seq = 1;
  for (const auto& [uuid, severity, raised] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"a1", "warning", "2026-11-20T00:00:00Z"},
           {"a2", "critical", "2026-11-20T00:00:00Z"},
           {"a3", "warning", "2026-11-21T00:00:00Z"},
           {"a4", "info", "2026-11-21T00:00:00Z"},
           {"a5", "warning", "2026-11-20T00:00:00Z"}}) {
    test::AlertSpec spec{.uuid = uuid, .severity = severity, .raised_at = raised};
    entries_a.push_back(entryJson(seq, "ea" + uuid, "alert_raised", test::alertBody(spec)));
    entries_b.push_back(entryJson(seq, "eb" + uuid, "alert_raised", test::alertBody(spec)));
    ++seq;
  }
  push(a, entries_a);
  push(b, entries_b);
  auto whole = store_->views().alerts({"", true, {}});
  ASSERT_TRUE(whole);
  ASSERT_EQ(whole->items.size(), 10u);
  for (const int limit : {1, 3, 4}) {
    std::vector<std::string> walked;
    std::string cursor;
    do {
      auto got = store_->views().alerts({"", true, {limit, cursor}});
      ASSERT_TRUE(got) << got.error().message;
      for (const auto& h : got->items) walked.push_back(h.agency_code + "/" + h.alert.uuid);
      cursor = got->next_cursor;
    } while (!cursor.empty());
    std::vector<std::string> expected;
    for (const auto& h : whole->items) expected.push_back(h.agency_code + "/" + h.alert.uuid);
    EXPECT_EQ(walked, expected) << limit;
  }
  EXPECT_EQ(whole->items.front().alert.uuid, "a2");  // critical first
  EXPECT_EQ(whole->items[2].alert.uuid, "a3");       // then the newest warning
}

// Tokens: H21.09's two PCs both saw T1 (the second has it plugged in now), T2 ties with it on
// the label; H21.10 has a token with T1's serial of its own.
TEST_P(HubStorePagingTest, TokensArePagedOncePerAgencyPresentFirst) {
  const std::string first = enrolled("H21.09");
  const std::string second = test::enrollAgent(*store_, "H21.09", "UBND H21.09", "PC-2", kNow);
  const std::string other = enrolled("H21.10");
  const auto token = [&](const std::string& agent, long seq, const char* kind,
                         const std::string& serial, const std::string& label, const char* at) {
    push(agent, {entryJson(seq, newUuid(), kind, tokenBody(serial, label, "Feitian"), at)});
  };
  token(first, 1, "token_inserted", "T1", "Ke toan", "2026-11-01T00:00:00Z");
  token(first, 2, "token_removed", "T1", "Ke toan", "2026-11-02T00:00:00Z");
  token(first, 3, "token_inserted", "T2", "Ke toan", "2026-11-03T00:00:00Z");
  token(first, 4, "token_inserted", "T3", "Van thu", "2026-11-03T00:00:00Z");
  token(first, 5, "token_inserted", "T4", "A", "2026-11-03T00:00:00Z");
  token(first, 6, "token_removed", "T4", "A", "2026-11-04T00:00:00Z");
  token(second, 1, "token_inserted", "T1", "Ke toan", "2026-11-21T00:00:00Z");
  token(other, 1, "token_inserted", "T1", "Ke toan", "2026-11-21T00:00:00Z");

  const auto rows = [](const std::vector<HubToken>& list) {
    std::vector<std::string> out;
    for (const auto& t : list) {
      out.push_back(t.token.token.serial + "@" + t.agency_code + (t.token.present ? "" : " out"));
    }
    return out;
  };
  const auto walkTokens = [&](TokenQuery query, int limit) {
    std::vector<HubToken> out;
    query.page.limit = limit;
    for (int pages = 0; pages < 20; ++pages) {
      auto got = store_->views().tokens(query);
      EXPECT_TRUE(got) << got.error().message;
      if (!got) break;
      EXPECT_LE(got->items.size(), size_t(limit));
      for (auto& t : got->items) out.push_back(std::move(t));
      if (got->next_cursor.empty()) break;
      query.page.cursor = got->next_cursor;
    }
    return out;
  };
  const std::vector<std::string> province{"T1@H21.09", "T1@H21.10", "T2@H21.09", "T3@H21.09",
                                          "T4@H21.09 out"};
  for (const int limit : {1, 2, 3, 5, 1000}) {
    SCOPED_TRACE(limit);
    EXPECT_EQ(rows(walkTokens({}, limit)), province);
  }
  const auto agency = walkTokens({{"H21.09", ""}, {}}, 2);
  ASSERT_EQ(rows(agency),
            (std::vector<std::string>{"T1@H21.09", "T2@H21.09", "T3@H21.09", "T4@H21.09 out"}));
  // T1 once: where it is plugged in now, first seen on the other PC.
  EXPECT_EQ(agency[0].agent_id, second);
  EXPECT_EQ(agency[0].token.last_host, "PC-2");
  EXPECT_EQ(agency[0].token.first_seen, *parseIsoUtc("2026-11-01T00:00:00Z"));
  // The first PC's own view: what it saw, present first, then by label.
  EXPECT_EQ(rows(walkTokens({{"", first}, {}}, 1)),
            (std::vector<std::string>{"T2@H21.09", "T3@H21.09", "T4@H21.09 out", "T1@H21.09 out"}));
  auto everything = store_->views().allTokens({"H21.09", ""});
  ASSERT_TRUE(everything) << everything.error().message;
  EXPECT_EQ(rows(*everything), rows(agency));
  // A cursor of another list, and text that is no cursor.
  auto tokens_page = store_->views().tokens({{}, {1, ""}});
  ASSERT_TRUE(tokens_page && !tokens_page->next_cursor.empty());
  CertificateQuery certificates;
  certificates.page = {1, tokens_page->next_cursor};
  auto wrong = store_->views().certificates(certificates);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::InvalidArgument);
  auto bad = store_->views().tokens({{}, {1, "0a"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);
}

TEST_P(HubStorePagingTest, AStoreOfThePreviousSchemaIsUpgradedWithTheListIndexes) {
  store_.reset();
  const bool sqlite = GetParam() == test::StoreBackend::Sqlite;
  const std::string url = sqlite ? dir_.file("v6.db") : test::freshPostgresUrl();
  const auto& all = sqlite ? sqliteMigrations() : postgresMigrations();
  // Schema 7 added the list indexes: a store of schema 6, the one before them.
  ASSERT_GE(all.size(), 7u);
  const std::vector<std::string_view> previous(all.begin(), all.begin() + 6);
  {
    auto pool = sqlite ? openSqlitePool(url, previous) : openPostgresPool(url, previous);
    ASSERT_TRUE(pool) << pool.error().message;
    auto lease = (*pool)->acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE(
        (*lease)->run("INSERT INTO agencies (code, name, type, created_at, updated_at) VALUES "
                      "('H21.09', 'UBND xã Bình Chương', 'commune', '', '')"));
  }
  auto upgraded = test::openStoreAt(url);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  EXPECT_EQ((*(*upgraded)->registry().agency("H21.09"))->name, "UBND xã Bình Chương");
  auto listed = (*upgraded)->views().certificates({});
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_TRUE(listed->items.empty());
  upgraded->reset();
  auto pool = sqlite ? openSqlitePool(url, all) : openPostgresPool(url, all);
  ASSERT_TRUE(pool) << pool.error().message;
  auto lease = (*pool)->acquire();
  ASSERT_TRUE(lease);
  std::set<std::string> indexes;
  ASSERT_TRUE((*lease)->run(sqlite ? "SELECT name FROM sqlite_master WHERE type = 'index'"
                                   : "SELECT indexname FROM pg_indexes",
                            {}, [&](const SqlRow& row) { indexes.insert(row.text(0)); }));
  for (const char* name : {"hub_certificates_not_after", "hub_certificates_name",
                           "hub_alerts_raised", "hub_requests_due"}) {
    EXPECT_TRUE(indexes.count(name)) << name;
  }
}

// The choice is made when a push changes it (hub_agency_certificates): a token taken out moves
// it to the PC where the certificate is still plugged in, a revoked PC no longer counts.
TEST_P(HubStorePagingTest, TheOncePerAgencyChoiceFollowsEachPushAndRevocation) {
  const auto x = issued("Certificate X", kNow + 24h * 30);
  const std::string first = enrolled("H21.09");
  long seq_first = 1;
  sees(first, "T1", {x}, seq_first, "2026-11-01T00:00:00Z");
  const std::string second = enrolled("H21.09");
  long seq_second = 1;
  sees(second, "T2", {x}, seq_second, "2026-11-21T00:00:00Z");
  CertificateQuery query;
  query.scope = {"H21.09", ""};
  auto listed = walk(query, 50);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].agent_id, second);  // both plugged in: the latest sighting
  EXPECT_EQ(listed[0].certificate.token_serial, "T2");
  push(second, {entryJson(seq_second++, newUuid(), "token_removed", tokenBody("T2"),
                          "2026-11-21T01:00:00Z")});
  listed = walk(query, 50);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].agent_id, first);  // where it is plugged in
  EXPECT_EQ(listed[0].certificate.token_serial, "T1");
  EXPECT_TRUE(listed[0].certificate.present);
  EXPECT_EQ(listed[0].certificate.first_seen, *parseIsoUtc("2026-11-01T00:00:00Z"));
  ASSERT_TRUE(*store_->registry().revokeAgent(first));
  listed = walk(query, 50);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].agent_id, second);
  EXPECT_FALSE(listed[0].certificate.present);
  EXPECT_EQ(listed[0].certificate.first_seen, *parseIsoUtc("2026-11-21T00:00:00Z"));
}

// Schema 9 made the once-per-agency choice at ingest: a store of schema 8 (the same data, pushed
// before) has it made when it opens, and lists what it listed.
TEST_P(HubStorePagingTest, AStoreOfThePreviousSchemaHasItsChoiceMadeWhenUpgraded) {
  twoAgencies();
  const std::string second = enrolled("H21.09");
  long seq = 1;
  const auto c6 = issued("Vo Van Em", kNow + 24h * 50);
  sees(second, "TC", {c6}, seq);
  const auto key = [](const HubCertificate& hc) {
    return std::make_tuple(hc.agency_code, hc.certificate.certificate.fingerprint_sha256,
                           hc.agent_id, hc.certificate.token_serial, hc.certificate.present,
                           hc.certificate.first_seen, hc.certificate.token_serials);
  };
  std::vector<decltype(key(HubCertificate{}))> before;
  for (const auto& hc : walk({}, 2)) before.push_back(key(hc));
  ASSERT_EQ(before.size(), 9u);
  store_.reset();
  const bool sqlite = GetParam() == test::StoreBackend::Sqlite;
  const auto& all = sqlite ? sqliteMigrations() : postgresMigrations();
  ASSERT_GE(all.size(), 9u);
  {
    // Back to schema 8: what 9 and later added gone (10: the staff's certificates, 11: the
    // lists' tables, 12: the reports' figures).
    auto pool = sqlite ? openSqlitePool(url_, all) : openPostgresPool(url_, all);
    ASSERT_TRUE(pool) << pool.error().message;
    auto lease = (*pool)->acquire();
    ASSERT_TRUE(lease);
    test::undoMigrationsAfter(**lease, GetParam(), 10);
    ASSERT_TRUE((*lease)->run("DROP INDEX staff_accounts_certificate"));
    ASSERT_TRUE((*lease)->run("ALTER TABLE staff_accounts DROP COLUMN certificate_fingerprint"));
    ASSERT_TRUE((*lease)->run("ALTER TABLE staff_accounts DROP COLUMN certificate_subject"));
    ASSERT_TRUE((*lease)->run("DROP TABLE hub_agency_certificates"));
    ASSERT_TRUE((*lease)->run("DROP TABLE hub_choices"));
    ASSERT_TRUE((*lease)->run("DROP INDEX hub_tokens_pin_state"));
    ASSERT_TRUE((*lease)->run(sqlite ? "PRAGMA user_version = 8"
                                     : "UPDATE cks_hub_schema SET version = 8"));
  }
  auto upgraded = test::openStoreAt(url_);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  store_ = std::move(*upgraded);
  std::vector<decltype(key(HubCertificate{}))> after;
  for (const auto& hc : walk({}, 2)) after.push_back(key(hc));
  EXPECT_EQ(after, before);
  // Made once: opening it again changes nothing.
  store_.reset();
  upgraded = test::openStoreAt(url_);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  store_ = std::move(*upgraded);
  after.clear();
  for (const auto& hc : walk({}, 2)) after.push_back(key(hc));
  EXPECT_EQ(after, before);
}

// The token list reads the choice made at ingest (hub_agency_tokens, schema 11): after each push
// (plugged in, taken out, a certificate gone, a snapshot), and each revocation, it is what the
// window functions over every token chose before it.
TEST_P(HubStorePagingTest, TheTokenChoiceIsTheWindowFunctionsAnswerAfterEachPushAndRevocation) {
  const auto raw = rawPool();
  ASSERT_TRUE(raw);
  // The statement of schema 10's token list, over every token.
  const auto windowed = [&] {
    std::vector<std::string> out;
    auto lease = raw->acquire();
    EXPECT_TRUE(lease);
    if (!lease) return out;
    EXPECT_TRUE((*lease)->run(
        "WITH sighting AS (SELECT t.agent_id, t.serial, t.manufacturer, t.label, t.model, "
        "t.pin_state, t.present, min(t.first_seen) OVER (PARTITION BY t.agency_code, t.serial, "
        "t.manufacturer) AS earliest, t.last_seen, (SELECT count(*) FROM hub_token_certificates "
        "tc WHERE tc.token_id = t.id AND tc.on_token = 1) AS cert_count, a.host, t.agency_code, "
        "row_number() OVER (PARTITION BY t.agency_code, t.serial, t.manufacturer ORDER BY "
        "t.present DESC, t.last_seen DESC, t.agent_id DESC) AS pick FROM hub_tokens t JOIN "
        "agents a ON a.agent_id = t.agent_id WHERE a.revoked = 0) SELECT agency_code, serial, "
        "manufacturer, agent_id, label, model, pin_state, present, earliest, last_seen, "
        "cert_count, host FROM sighting WHERE pick = 1 ORDER BY CASE WHEN present = 1 THEN '0' "
        "ELSE '1' END, label, serial, manufacturer, agency_code",
        {}, [&](const SqlRow& row) {
          out.push_back(row.text(0) + " " + row.text(1) + " " + row.text(2) + " " + row.text(3) +
                        " " + row.text(4) + " " + row.text(5) + " " + row.text(6) + " " +
                        (row.integer(7) == 1 ? "in" : "out") + " " + row.text(8) + " " +
                        row.text(9) + " " + std::to_string(row.integer(10)) + " " + row.text(11));
        }));
    return out;
  };
  const auto same = [&](const char* step) {
    SCOPED_TRACE(step);
    const auto listed = tokenLines();
    EXPECT_EQ(listed, windowed());
    return listed;
  };
  const std::string first = enrolled("H21.09");
  const std::string second = test::enrollAgent(*store_, "H21.09", "UBND H21.09", "PC-2", kNow);
  const std::string other = enrolled("H21.10");
  const auto x = issued("Certificate X", kNow + 24h * 30);
  const auto y = issued("Certificate Y", kNow + 24h * 60);
  long seq_first = 1;
  long seq_second = 1;
  long seq_other = 1;
  sees(first, "T1", {x, y}, seq_first, "2026-11-01T00:00:00Z");
  sees(first, "T2", {}, seq_first, "2026-11-01T00:00:00Z");
  sees(second, "T1", {x}, seq_second, "2026-11-10T00:00:00Z");
  sees(other, "T1", {y}, seq_other, "2026-11-12T00:00:00Z");
  EXPECT_EQ(same("plugged into both PCs").size(), 3u);
  push(second, {entryJson(seq_second++, newUuid(), "token_removed", tokenBody("T1"),
                          "2026-11-11T00:00:00Z")});
  const auto taken_out = same("taken out of one PC");
  ASSERT_EQ(taken_out.size(), 3u);
  // T1 of H21.09 where it is plugged in, first seen on 01/11, two certificates on it.
  EXPECT_EQ(taken_out[0].rfind("H21.09 T1 ", 0), 0u) << taken_out[0];
  EXPECT_NE(taken_out[0].find(" " + first + " "), std::string::npos) << taken_out[0];
  EXPECT_NE(taken_out[0].find(" in 2026-11-01T00:00:00Z "), std::string::npos) << taken_out[0];
  EXPECT_NE(taken_out[0].find(" 2 PC-H21.09"), std::string::npos) << taken_out[0];
  push(first, {entryJson(seq_first++, newUuid(), "certificate_disappeared",
                         certificateBody("T1", x), "2026-11-13T00:00:00Z")});
  EXPECT_NE(same("a certificate gone")[0].find(" 1 PC-H21.09"), std::string::npos);
  push(first, {entryJson(seq_first++, newUuid(), "snapshot",
                         R"({"tokens": [], "certificates": []})", "2026-11-14T00:00:00Z")});
  EXPECT_EQ(same("a snapshot without tokens").size(), 2u);
  ASSERT_TRUE(*store_->registry().revokeAgent(second));
  const auto revoked = same("a PC revoked");
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].rfind("H21.10 T1 " + std::string("Viettel-CA ") + other, 0), 0u)
      << revoked[0];
  // One agency's page reads the same choice.
  EXPECT_EQ(tokenLines({"H21.10", ""}), tokenLines());
  EXPECT_TRUE(tokenLines({"H21.09", ""}).empty());
}

// The search reads the text index of the chosen certificates (schema 11: FTS5 trigrams on
// SQLite, pg_trgm on PostgreSQL), kept in step as the choice is made again: a name's part in any
// case (Vietnamese too), a serial or fingerprint prefix, nothing once the certificate is gone
// from the agency, found again when it comes back.
TEST_P(HubStorePagingTest, TheSearchFollowsTheChoiceThroughItsTextIndex) {
  const std::string first = enrolled("H21.09");
  const std::string second = test::enrollAgent(*store_, "H21.09", "UBND H21.09", "PC-2", kNow);
  const auto binh = issued("Trần Thị Bình", kNow + 24h * 30);
  const auto other = issued("Nguyễn Văn An", kNow + 24h * 60);
  long seq_first = 1;
  long seq_second = 1;
  sees(first, "T1", {binh, other}, seq_first, "2026-11-01T00:00:00Z");
  CertificateQuery everything;
  const auto all = walk(everything, 10);
  ASSERT_EQ(all.size(), 2u);
  const auto& found = all[0].certificate.certificate;
  ASSERT_EQ(found.common_name, "Trần Thị Bình");
  const auto search = [&](const std::string& text) {
    CertificateQuery query;
    query.search = text;
    std::vector<std::string> out;
    for (const auto& hc : walk(query, 1)) {
      out.push_back(hc.agent_id + " " + hc.certificate.certificate.common_name);
    }
    return out;
  };
  const std::vector<std::string> on_first{first + " Trần Thị Bình"};
  EXPECT_EQ(search("thị b"), on_first);
  EXPECT_EQ(search("TRầN"), on_first);  // ASCII in any case; the rest as written
  std::string prefix = found.fingerprint_sha256.substr(0, 10);
  std::transform(prefix.begin(), prefix.end(), prefix.begin(), ::toupper);
  EXPECT_EQ(search(prefix), on_first);
  EXPECT_EQ(search(found.serial), on_first);
  EXPECT_TRUE(search(found.fingerprint_sha256.substr(3, 10)).empty());  // not a prefix
  EXPECT_TRUE(search("Bình Trần").empty());
  // Several words: the index is asked for the rarest one, the whole text is what is kept.
  EXPECT_EQ(search("Trần Thị Bình"), on_first);
  EXPECT_EQ(search("văn an"), std::vector<std::string>{first + " Nguyễn Văn An"});
  EXPECT_TRUE(search("Văn Bình").empty());
  // Seen later on the second PC, plugged in: chosen there, found there, once.
  sees(second, "T2", {binh}, seq_second, "2026-11-20T00:00:00Z");
  const std::vector<std::string> on_second{second + " Trần Thị Bình"};
  EXPECT_EQ(search("thị b"), on_second);
  EXPECT_EQ(search(prefix), on_second);
  // Gone from both PCs (a snapshot without it, a revocation): found nowhere.
  push(first, {entryJson(seq_first++, newUuid(), "snapshot",
                         R"({"tokens": [], "certificates": []})", "2026-11-21T00:00:00Z")});
  EXPECT_EQ(search("thị b"), on_second);
  ASSERT_TRUE(*store_->registry().revokeAgent(second));
  EXPECT_TRUE(search("thị b").empty());
  EXPECT_TRUE(search(prefix).empty());
  EXPECT_TRUE(search("Văn An").empty());
  // Back on the first PC.
  sees(first, "T1", {binh}, seq_first, "2026-11-22T00:00:00Z");
  EXPECT_EQ(search("thị b"), on_first);
  EXPECT_EQ(search(found.serial), on_first);
}

// Schema 11 chose tokens at ingest and indexed the chosen certificates' text: a store of schema
// 10 (the same data, pushed before) has both made when it opens, and lists and finds what it did.
TEST_P(HubStorePagingTest, AStoreOfSchema10HasItsTokensChosenAndItsSearchIndexedWhenUpgraded) {
  twoAgencies();
  const std::string second = enrolled("H21.09");
  long seq = 1;
  sees(second, "TA", {issued("Vo Van Em", kNow + 24h * 50)}, seq, "2026-11-20T00:00:00Z");
  const auto searched = [&] {
    std::vector<std::string> out;
    for (const char* text : {"van", "Dung", "thi"}) {
      CertificateQuery query;
      query.search = text;
      for (const auto& hc : walk(query, 2)) {
        out.push_back(std::string(text) + ": " + hc.agency_code + " " + hc.agent_id + " " +
                      hc.certificate.certificate.common_name);
      }
    }
    return out;
  };
  const auto tokens_before = tokenLines();
  const auto found_before = searched();
  ASSERT_EQ(tokens_before.size(), 2u);
  ASSERT_EQ(found_before.size(), 10u);
  store_.reset();
  {
    auto raw = rawPool();
    ASSERT_TRUE(raw);
    auto lease = raw->acquire();
    ASSERT_TRUE(lease);
    test::undoMigrationsAfter(**lease, GetParam(), 10);
  }
  auto upgraded = test::openStoreAt(url_);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  store_ = std::move(*upgraded);
  EXPECT_EQ(tokenLines(), tokens_before);
  EXPECT_EQ(searched(), found_before);
}

INSTANTIATE_TEST_SUITE_P(Backends, HubStorePagingTest, test::kStoreBackends,
                         test::storeBackendName);

}  // namespace
}  // namespace cks::hub
