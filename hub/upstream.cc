#include "hub/upstream.h"

#include <Poco/JSON/Parser.h>

#include <filesystem>

#include "core/time_format.h"
#include "platform/files.h"
#include "store/database.h"
#include "store/outbox.h"
#include "sync/client/hub_transport.h"
#include "sync/protocol/feed_items.h"
#include "sync/protocol/inventory_digest.h"
#include "sync/protocol/report_entries.h"

namespace cks::hub {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStoreFile = "upstream.db";
constexpr const char* kEntryKind = "province_report_submitted";

// The sync session's view of the link's store. The province has no tokens of its own at the
// national hub: its digest is that of an empty inventory, which is what the national hub holds
// for it, so no snapshot is ever asked for.
class UpstreamState final : public sync::SyncState {
 public:
  explicit UpstreamState(store::Inventory& store) : outbox_(store) {}

  Result<std::vector<sync::OutboxEntry>> pending(const std::string& lane, int limit) override {
    auto rows = outbox_.pending(lane, limit);
    if (!rows) return tl::unexpected(rows.error());
    std::vector<sync::OutboxEntry> entries;
    for (const auto& row : *rows) {
      sync::OutboxEntry entry{row.seq, row.uuid, row.kind, row.at, nullptr};
      try {
        entry.body = Poco::JSON::Parser().parse(row.body).extract<Poco::JSON::Object::Ptr>();
      } catch (const Poco::Exception& e) {
        return fail("upstream: entry ", lane, "/", std::to_string(row.seq), ": ", e.displayText());
      }
      entries.push_back(std::move(entry));
    }
    return entries;
  }
  Result<std::int64_t> backlog() override { return outbox_.backlog(); }
  Status acknowledge(const std::string& lane, std::int64_t acked) override {
    return outbox_.acknowledge(lane, acked);
  }
  Result<std::int64_t> feedCursor() override {
    auto value = outbox_.state("feed_cursor");
    if (!value) return tl::unexpected(value.error());
    return *value ? std::stoll(**value) : 0;
  }
  // The national hub's feed says nothing a province hub acts on yet, but for the province's
  // name; the cursor moves on so the same items are not pulled again.
  Status applyFeed(const std::vector<sync::FeedItem>& items, std::int64_t new_cursor) override {
    for (const auto& item : items) {
      if (item.kind != "agency" || !item.body) continue;
      if (const auto name = sync::readAgencyItem(*item.body).name) {
        CKS_TRY(outbox_.setState("agency_name", *name));
      }
    }
    return outbox_.setState("feed_cursor", std::to_string(new_cursor));
  }
  Result<sync::DigestRequest> digest() override {
    return sync::DigestRequest{sync::inventoryDigest({}, {}), 0, 0};
  }
  Status queueSnapshot() override {
    return fail("upstream: the national hub asked for a snapshot");
  }
  Status recordHubContact(TimePoint hub_time, TimePoint local_time) override {
    CKS_TRY(outbox_.setState(
        "hub_offset_seconds",
        std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(hub_time - local_time).count())));
    return outbox_.setState("last_hub_contact", formatIsoUtc(local_time));
  }

 private:
  store::Outbox outbox_;
};

}  // namespace

Result<std::unique_ptr<Upstream>> Upstream::open(const UpstreamSettings& settings) {
  std::error_code error;
  fs::create_directories(settings.dir, error);
  if (error) return fail("upstream: cannot create ", settings.dir, ": ", error.message());
  // The enrolment key lives here.
  if (!platform::restrictToOwner(settings.dir)) {
    return fail("upstream: cannot make ", settings.dir, " private");
  }
  auto store = store::Inventory::open((fs::path(settings.dir) / kStoreFile).string());
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<Upstream>(new Upstream(settings, std::move(*store)));
}

Result<std::optional<UpstreamLink>> Upstream::link() {
  store::Outbox outbox(*store_);
  UpstreamLink link;
  for (auto [key, field] : {std::pair{"hub_url", &link.url},
                            {"agent_id", &link.agent_id},
                            {"agency_code", &link.province_code},
                            {"agency_name", &link.province_name}}) {
    auto value = outbox.state(key);
    if (!value) return tl::unexpected(value.error());
    *field = value->value_or("");
  }
  if (link.url.empty() || link.agent_id.empty()) return std::optional<UpstreamLink>();
  return std::optional<UpstreamLink>(std::move(link));
}

tl::expected<UpstreamLink, sync::EnrollmentError> Upstream::enroll(const std::string& url,
                                                                   const std::string& code,
                                                                   const std::string& hub_ca_file,
                                                                   const std::string& host,
                                                                   bool force, const Clock& clock) {
  auto failed = [](const Error& error) {
    return tl::unexpected(
        sync::EnrollmentError{sync::EnrollmentError::Kind::Failed, error.message});
  };
  sync::EnrollmentSettings settings;
  settings.hub_url = url;
  settings.hub_ca_file = hub_ca_file;
  settings.code = code;
  settings.files_dir = settings_.dir;
  settings.host = host;
  settings.agent_version = CKS_VERSION;
  settings.proxy = settings_.proxy;
  settings.timeout = settings_.timeout;
  settings.force = force;
  auto enrolled = sync::enroll(settings, clock);
  if (!enrolled) return tl::unexpected(enrolled.error());
  store::Outbox outbox(*store_);
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"hub_url", url},
                                   {"agent_id", enrolled->agent_id},
                                   {"agency_code", enrolled->agency_code},
                                   {"agency_name", enrolled->agency_name},
                                   {"feed_cursor", "0"},
                                   {"enrolled_at", formatIsoUtc(clock.now())}}) {
    if (auto status = outbox.setState(key, value); !status) return failed(status.error());
  }
  // A new identity at the national hub: its sequences start at 1 (what waits goes again).
  if (auto status = outbox.restartSequences(); !status) return failed(status.error());
  return UpstreamLink{url, enrolled->agent_id, enrolled->agency_code, enrolled->agency_name};
}

Result<int> Upstream::queueProvinceReport(int year, const std::string& report_json, TimePoint now) {
  auto linked = link();
  if (!linked) return tl::unexpected(linked.error());
  if (!*linked) {
    return fail(
        "upstream: this hub is not enrolled with a national hub (cks-hub admin upstream "
        "enroll --hub URL --code CODE --hub-ca FILE)");
  }
  const std::string province = (*linked)->province_code;
  const std::string key = "province_report.version." + std::to_string(year);
  return store_->withDatabase([&](store::Database& db) -> Result<int> {
    auto tx = store::Transaction::begin(db);
    if (!tx) return tl::unexpected(tx.error());
    auto last = db.prepare("SELECT value FROM sync_state WHERE key = ?");
    if (!last) return tl::unexpected(last.error());
    last->bind(1, key);
    auto row = last->step();
    if (!row) return tl::unexpected(row.error());
    const int version = (*row ? std::stoi(last->text(0)) : 0) + 1;
    auto save = db.prepare(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2) "
        "ON CONFLICT (key) DO UPDATE SET value = ?2");
    if (!save) return tl::unexpected(save.error());
    CKS_TRY(save->bind(1, key).bind(2, std::to_string(version)).run());
    // The aggregate is spliced in as printed: the national hub keeps exactly what was sent.
    sync::ProvinceReportSubmitted submitted;
    submitted.version = version;
    submitted.submitted_at = now;
    submitted.province = province;
    submitted.report_json = report_json;
    const std::string body = sync::encodeBody(submitted);
    CKS_TRY(store::appendOutbox(db, "normal", kEntryKind, now, body));
    CKS_TRY(tx->commit());
    return version;
  });
}

sync::SyncReport Upstream::sync(const Clock& clock) {
  sync::SyncReport report;
  auto linked = link();
  if (!linked || !*linked) {
    report.outcome = sync::SyncReport::Outcome::Failed;
    report.message =
        linked ? "upstream: this hub is not enrolled with a national hub" : linked.error().message;
    return report;
  }
  auto transport = sync::makeHubTransport(
      sync::enrolledTransport(settings_.dir, (*linked)->url, settings_.proxy, settings_.timeout));
  UpstreamState state(*store_);
  return sync::SyncSession().run(*transport, state, clock, CKS_VERSION);
}

}  // namespace cks::hub
