// What the hub keeps: agencies, single-use enrolment codes, enrolled agents, every pushed outbox
// entry (exactly once), each agent's feed, and the province's view of every agency's tokens,
// certificates, alerts and requests (with their journal) projected from those entries. HubStore
// owns the connection pool and hands out the store's roles, one file each in hub/store/:
// registry() (agencies, codes, agents), ingest() (pushes and feeds), views() (the province's
// tokens, certificates and alerts, paged in SQL), requestDesk(), reportArchive(), mergers() (the
// mergers published and their batches), staff() (the console's accounts), audit() (the
// hash-chained trail of what staff changed) and revocations() (the CAs' revocation lists).
// Callers take the narrowest role they need. The roles run the same statements on SQLite
// (openSqliteHubStore: one connection, one writer at a time) or PostgreSQL (openPostgresHubStore:
// a pool, one connection per concurrent caller). Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "hub/hub_config.h"
#include "hub/store/audit_trail.h"
#include "hub/store/connection.h"
#include "hub/store/ingest.h"
#include "hub/store/merger_register.h"
#include "hub/store/province_views.h"
#include "hub/store/records.h"
#include "hub/store/registry.h"
#include "hub/store/report_archive.h"
#include "hub/store/request_desk.h"
#include "hub/store/revocation_lists.h"
#include "hub/store/staff_roster.h"

namespace cks::hub {

class HubStore {
 public:
  explicit HubStore(std::unique_ptr<ConnectionPool> pool);
  HubStore(const HubStore&) = delete;
  HubStore& operator=(const HubStore&) = delete;

  [[nodiscard]] Registry& registry() { return registry_; }
  [[nodiscard]] Ingest& ingest() { return ingest_; }
  [[nodiscard]] ProvinceViews& views() { return views_; }
  [[nodiscard]] RequestDesk& requestDesk() { return request_desk_; }
  [[nodiscard]] ReportArchive& reportArchive() { return report_archive_; }
  [[nodiscard]] MergerRegister& mergers() { return mergers_; }
  [[nodiscard]] StaffRoster& staff() { return staff_; }
  [[nodiscard]] AuditTrail& audit() { return audit_; }
  [[nodiscard]] RevocationLists& revocations() { return revocations_; }

  // "ok" or what the database's own check found.
  [[nodiscard]] Result<std::string> integrityCheck();

 private:
  std::unique_ptr<ConnectionPool> pool_;
  Registry registry_;
  Ingest ingest_;
  ProvinceViews views_;
  RequestDesk request_desk_;
  ReportArchive report_archive_;
  MergerRegister mergers_;
  StaffRoster staff_;
  AuditTrail audit_;
  RevocationLists revocations_;
};

// Opens (creating if needed) the SQLite hub store at `path` and brings its schema up to date.
[[nodiscard]] Result<std::unique_ptr<HubStore>> openSqliteHubStore(const std::string& path);

// Connects to the PostgreSQL database `url` names (postgresql://user[:password]@host[:port]/db,
// see hub/postgres_url.h) and brings its schema up to date. The database must exist, be UTF8
// and be writable by the user (docs/hub.md). Later calls reconnect by themselves after the
// server was restarted; while it is down they fail (the sync API answers 500 internal).
[[nodiscard]] Result<std::unique_ptr<HubStore>> openPostgresHubStore(const std::string& url);

// Opens the store [store] url names, creating the SQLite file's folder if needed.
[[nodiscard]] Result<std::unique_ptr<HubStore>> openHubStore(const StoreLocation& location);

// Whether a hub has created its store there (the SQLite file, or the schema in the PostgreSQL
// database), creating nothing: admin commands refuse a store that is not there.
[[nodiscard]] Result<bool> hubStoreExists(const StoreLocation& location);

}  // namespace cks::hub
