// The store's revocation lists (schema 13, docs/revocation.md): the sources the hub fetches
// lists from and what each fetch gave (hub_crl_sources), the list held for each issuer, the
// newest accepted, with its DER (hub_crls), and that list's entries (hub_crl_entries). A
// certificate's revocation status is read from them by (issuer, serial) when asked, never
// stored per certificate: replacing a list writes only the entries that changed. Deciding
// whether a list is accepted is hub/province/revocation_service.h's. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/revocation.h"
#include "hub/revocation/crl.h"
#include "hub/store/connection.h"

namespace cks::hub {

// A place lists are fetched from, and what the last fetch gave.
struct CrlSourceRecord {
  std::string url;
  bool configured = false;  // [revocation] crl_urls; else a certificate's distribution point
  std::string issuer;       // of the last list read from it; "" until one was
  std::optional<TimePoint> last_fetch;
  std::optional<CrlOutcome> outcome;  // of the last fetch
  std::string detail;                 // why it was refused ("" when accepted or unchanged)
  int failures = 0;                   // fetches in a row that gave no current list
  std::optional<TimePoint> next_fetch;
};

// The list held for an issuer (RevocationList without its entries and DER).
struct HeldCrlRecord {
  RevocationList list;  // issuer, this/next update, cRLNumber
  std::string source_url;
  std::string der_sha256;  // lowercase hex
  std::int64_t entries = 0;
  TimePoint accepted_at{};
};

// What replacing a list changed in the entries held.
struct EntryChanges {
  std::int64_t added = 0;
  std::int64_t removed = 0;
};

class RevocationLists {
 public:
  explicit RevocationLists(ConnectionPool& pool) : pool_(pool) {}

  // The sources of [revocation] crl_urls are `urls`: added when new, marked configured, and
  // any other source no longer marked so.
  [[nodiscard]] Status setConfiguredSources(const std::vector<std::string>& urls);
  // Adds the sources not known yet (distribution points of certificates seen).
  [[nodiscard]] Status addSources(const std::vector<std::string>& urls);
  // Every source, by URL.
  [[nodiscard]] Result<std::vector<CrlSourceRecord>> sources();
  // What the latest fetch of `source.url` gave: every field but url and configured.
  [[nodiscard]] Status recordFetch(const CrlSourceRecord& source);

  // The list held for each issuer, by issuer.
  [[nodiscard]] Result<std::vector<HeldCrlRecord>> held();
  [[nodiscard]] Result<std::optional<HeldCrlRecord>> heldFor(const std::string& issuer);
  // The held list's DER, for the officer and for tests ("" when none is held).
  [[nodiscard]] Result<std::vector<std::uint8_t>> heldDer(const std::string& issuer);
  // Makes `list` the one held for its issuer, fetched from `url` and accepted at `at`, in one
  // transaction: its entries replace the old list's, writing only those that changed.
  [[nodiscard]] Result<EntryChanges> replace(const RevocationList& list, const std::string& url,
                                             TimePoint at);

  // What the held list of `issuer` says of the certificate `serial`; nullopt when none is held.
  [[nodiscard]] Result<std::optional<HeldListing>> listing(const std::string& issuer,
                                                           const std::string& serial);
  // How many of the certificates agents reported (hub_certificates, one per fingerprint) the
  // held list of `issuer` revokes.
  [[nodiscard]] Result<std::int64_t> revokedHeld(const std::string& issuer);
  // Tells every agency, through its agents' feeds, the statuses at `now` of its certificates
  // that differ from what it was last told (docs/revocation.md, "The feed"); how many.
  [[nodiscard]] Result<int> queueStatusChanges(TimePoint now);
  // The http:// CRL distribution points named by the certificates agents reported: those of
  // one certificate per issuer (a CA writes the same points into every certificate it issues).
  [[nodiscard]] Result<std::vector<std::string>> distributionUrlsSeen();

 private:
  ConnectionPool& pool_;
};

}  // namespace cks::hub
