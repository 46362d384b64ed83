#include "hub/store/revocation_lists.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "core/certificate.h"
#include "core/time_format.h"
#include "hub/store/internal/revocation_feed.h"
#include "hub/store/internal/sql.h"

namespace cks::hub {
namespace {

using sql::optionalTime;
using sql::timeOf;

// Rows a multi-row statement carries: 4 parameters each stays far below both databases' limits.
constexpr std::size_t kBatchRows = 500;

constexpr std::string_view kHeldColumns =
    "SELECT issuer, source_url, this_update, next_update, crl_number, entries, accepted_at, "
    "der_sha256 FROM hub_crls ";

HeldCrlRecord heldOf(const SqlRow& row) {
  HeldCrlRecord held;
  held.list.issuer = row.text(0);
  held.source_url = row.text(1);
  held.list.this_update = timeOf(row.text(2));
  held.list.next_update = optionalTime(row, 3);
  held.list.crl_number = row.text(4);
  held.entries = row.integer(5);
  held.accepted_at = timeOf(row.text(6));
  held.der_sha256 = row.text(7);
  return held;
}

// An entry as its row holds it: revoked_at and the reason's wire name ("" for none).
struct EntryText {
  std::string revoked_at;
  std::string reason;
  friend bool operator==(const EntryText&, const EntryText&) = default;
};

EntryText textOf(const RevokedEntry& entry) {
  return {formatIsoUtc(entry.revoked_at),
          entry.reason ? std::string(toString(*entry.reason)) : std::string()};
}

// "(?1, ?2, ?3, ?4), (?1, ?5, ?6, ?7), …" for `rows` rows of the issuer (?1) and 3 columns.
std::string entryValues(std::size_t rows) {
  std::string values;
  for (std::size_t i = 0; i < rows; ++i) {
    const std::size_t first = 2 + 3 * i;
    values += (i == 0 ? "" : ", ") + std::string("(?1, ?") + std::to_string(first) + ", ?" +
              std::to_string(first + 1) + ", ?" + std::to_string(first + 2) + ")";
  }
  return values;
}

std::string placeholders(std::size_t count, std::size_t first) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out += (i == 0 ? "?" : ", ?") + std::to_string(first + i);
  }
  return out;
}

}  // namespace

Status RevocationLists::setConfiguredSources(const std::vector<std::string>& urls) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Status {
    CKS_TRY(c.run("UPDATE hub_crl_sources SET configured = 0 WHERE configured = 1"));
    for (const std::string& url : urls) {
      CKS_TRY(
          c.run("INSERT INTO hub_crl_sources (url, configured, issuer, detail, failures) "
                "VALUES (?1, 1, '', '', 0) ON CONFLICT (url) DO UPDATE SET configured = 1",
                {url}));
    }
    return ok();
  });
}

Status RevocationLists::addSources(const std::vector<std::string>& urls) {
  if (urls.empty()) return ok();
  return sql::transaction(pool_, [&](StoreConnection& c) -> Status {
    for (const std::string& url : urls) {
      CKS_TRY(
          c.run("INSERT INTO hub_crl_sources (url, configured, issuer, detail, failures) "
                "VALUES (?1, 0, '', '', 0) ON CONFLICT (url) DO NOTHING",
                {url}));
    }
    return ok();
  });
}

Result<std::vector<CrlSourceRecord>> RevocationLists::sources() {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<CrlSourceRecord>> {
    std::vector<CrlSourceRecord> all;
    CKS_TRY(
        c.run("SELECT url, configured, issuer, last_fetch, outcome, detail, failures, next_fetch "
              "FROM hub_crl_sources ORDER BY url",
              {}, [&](const SqlRow& row) {
                CrlSourceRecord source;
                source.url = row.text(0);
                source.configured = row.integer(1) != 0;
                source.issuer = row.text(2);
                source.last_fetch = optionalTime(row, 3);
                CrlOutcome outcome{};
                if (!row.isNull(4) && parseCrlOutcome(row.text(4), outcome))
                  source.outcome = outcome;
                source.detail = row.text(5);
                source.failures = static_cast<int>(row.integer(6));
                source.next_fetch = optionalTime(row, 7);
                all.push_back(std::move(source));
              }));
    return all;
  });
}

Status RevocationLists::recordFetch(const CrlSourceRecord& s) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Status {
    CKS_TRY(
        c.run("UPDATE hub_crl_sources SET issuer = ?2, last_fetch = ?3, outcome = ?4, detail = ?5, "
              "failures = ?6, next_fetch = ?7 WHERE url = ?1",
              {s.url, s.issuer, sql::timeOrNull(s.last_fetch),
               s.outcome ? SqlValue(std::string(toString(*s.outcome))) : SqlValue(std::nullopt),
               s.detail, s.failures, sql::timeOrNull(s.next_fetch)}));
    return ok();
  });
}

Result<std::vector<HeldCrlRecord>> RevocationLists::held() {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<HeldCrlRecord>> {
    std::vector<HeldCrlRecord> all;
    CKS_TRY(c.run(std::string(kHeldColumns) + "ORDER BY issuer", {},
                  [&](const SqlRow& row) { all.push_back(heldOf(row)); }));
    return all;
  });
}

Result<std::optional<HeldCrlRecord>> RevocationLists::heldFor(const std::string& issuer) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::optional<HeldCrlRecord>> {
    std::optional<HeldCrlRecord> found;
    CKS_TRY(c.run(std::string(kHeldColumns) + "WHERE issuer = ?1", {issuer},
                  [&](const SqlRow& row) { found = heldOf(row); }));
    return found;
  });
}

Result<std::vector<std::uint8_t>> RevocationLists::heldDer(const std::string& issuer) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<std::uint8_t>> {
    std::vector<std::uint8_t> der;
    CKS_TRY(c.run("SELECT der FROM hub_crls WHERE issuer = ?1", {issuer}, [&](const SqlRow& row) {
      const std::string bytes = row.text(0);
      der.assign(bytes.begin(), bytes.end());
    }));
    return der;
  });
}

Result<EntryChanges> RevocationLists::replace(const RevocationList& list, const std::string& url,
                                              TimePoint at) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<EntryChanges> {
    std::unordered_map<std::string, EntryText> old;
    CKS_TRY(c.run("SELECT serial, revoked_at, reason FROM hub_crl_entries WHERE issuer = ?1",
                  {list.issuer}, [&](const SqlRow& row) {
                    old.emplace(row.text(0), EntryText{row.text(1), row.text(2)});
                  }));
    // What is in the new list and not (or not so) in the old one is written; what stays as it
    // was is left alone, and what is left of `old` afterwards is gone from the list.
    std::vector<std::string> gone;
    std::vector<std::pair<const RevokedEntry*, EntryText>> fresh;
    std::unordered_map<std::string_view, bool> seen;
    seen.reserve(list.entries.size());
    for (const RevokedEntry& entry : list.entries) {
      if (!seen.emplace(entry.serial, true).second) continue;  // a serial listed twice
      EntryText text = textOf(entry);
      const auto before = old.find(entry.serial);
      if (before != old.end()) {
        const bool same = before->second == text;
        old.erase(before);
        if (same) continue;
        gone.push_back(entry.serial);  // changed: deleted, then written anew
      }
      fresh.emplace_back(&entry, std::move(text));
    }
    EntryChanges changes;
    changes.removed = static_cast<std::int64_t>(old.size());
    changes.added =
        static_cast<std::int64_t>(fresh.size()) - static_cast<std::int64_t>(gone.size());
    for (auto& [serial, text] : old) gone.push_back(serial);
    for (std::size_t from = 0; from < gone.size(); from += kBatchRows) {
      const std::size_t rows = std::min(kBatchRows, gone.size() - from);
      std::vector<SqlValue> params = {list.issuer};
      for (std::size_t i = 0; i < rows; ++i) params.emplace_back(gone[from + i]);
      CKS_TRY(c.run("DELETE FROM hub_crl_entries WHERE issuer = ?1 AND serial IN (" +
                        placeholders(rows, 2) + ")",
                    params));
    }
    for (std::size_t from = 0; from < fresh.size(); from += kBatchRows) {
      const std::size_t rows = std::min(kBatchRows, fresh.size() - from);
      std::vector<SqlValue> params = {list.issuer};
      for (std::size_t i = 0; i < rows; ++i) {
        const auto& [entry, text] = fresh[from + i];
        params.emplace_back(entry->serial);
        params.emplace_back(text.revoked_at);
        params.emplace_back(text.reason);
      }
      CKS_TRY(c.run("INSERT INTO hub_crl_entries (issuer, serial, revoked_at, reason) VALUES " +
                        entryValues(rows),
                    params));
    }
    CKS_TRY(c.run(
        "INSERT INTO hub_crls (issuer, source_url, this_update, next_update, crl_number, entries, "
        "der, der_sha256, accepted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
        "ON CONFLICT (issuer) DO UPDATE SET source_url = ?2, this_update = ?3, next_update = ?4, "
        "crl_number = ?5, entries = ?6, der = ?7, der_sha256 = ?8, accepted_at = ?9",
        {list.issuer, url, formatIsoUtc(list.this_update), sql::timeOrNull(list.next_update),
         list.crl_number, static_cast<std::int64_t>(seen.size()), SqlValue::blob(list.der),
         sha256Hex(list.der), formatIsoUtc(at)}));
    return changes;
  });
}

Result<std::optional<HeldListing>> RevocationLists::listing(const std::string& issuer,
                                                            const std::string& serial) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::optional<HeldListing>> {
    std::optional<HeldListing> found;
    CKS_TRY(c.run(
        "SELECT l.this_update, l.next_update, e.revoked_at, e.reason FROM hub_crls l "
        "LEFT JOIN hub_crl_entries e ON e.issuer = l.issuer AND e.serial = ?2 WHERE l.issuer = ?1",
        {issuer, serial}, [&](const SqlRow& row) { found = sql::listingOf(row, 0); }));
    return found;
  });
}

Result<std::int64_t> RevocationLists::revokedHeld(const std::string& issuer) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::int64_t> {
    std::int64_t count = 0;
    CKS_TRY(
        c.run("SELECT COUNT(DISTINCT c.fingerprint) FROM hub_certificates c JOIN hub_crl_entries e "
              "ON e.issuer = c.issuer AND e.serial = c.serial WHERE c.issuer = ?1",
              {issuer}, [&](const SqlRow& row) { count = row.integer(0); }));
    return count;
  });
}

Result<int> RevocationLists::queueStatusChanges(TimePoint now) {
  return sql::transaction(
      pool_, [&](StoreConnection& c) { return sql::queueRevocationChanges(c, std::nullopt, now); });
}

Result<std::vector<std::string>> RevocationLists::distributionUrlsSeen() {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<std::string>> {
    std::vector<std::string> urls;
    CKS_TRY(
        c.run("SELECT der FROM hub_certificates WHERE id IN "
              "(SELECT MIN(id) FROM hub_certificates WHERE parse_error = '' GROUP BY issuer)",
              {}, [&](const SqlRow& row) {
                const std::string der = row.text(0);
                for (auto& url : crlDistributionUrls(std::span(
                         reinterpret_cast<const std::uint8_t*>(der.data()), der.size()))) {
                  if (std::find(urls.begin(), urls.end(), url) == urls.end()) urls.push_back(url);
                }
              }));
    std::sort(urls.begin(), urls.end());
    return urls;
  });
}

}  // namespace cks::hub
