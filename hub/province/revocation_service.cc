#include "hub/province/revocation_service.h"

#include <algorithm>
#include <utility>

#include "core/certificate.h"
#include "core/time_format.h"
#include "hub/revocation/crl.h"
#include "sync/client/proxy_setting.h"

namespace cks::hub {
namespace {

// When a source whose fetch gave a current list is fetched again: after the refresh, or at the
// list's nextUpdate when that comes first (a list is due to be replaced then).
TimePoint nextAfterSuccess(TimePoint now, std::chrono::hours refresh,
                           const std::optional<TimePoint>& next_update) {
  TimePoint next = now + refresh;
  if (next_update && *next_update > now && *next_update < next) next = *next_update;
  return next;
}

// After `failures` failed fetches in a row: 15 min, 30 min, 1 h, … up to the refresh.
TimePoint nextAfterFailure(TimePoint now, std::chrono::hours refresh, int failures) {
  std::chrono::seconds wait = kFirstRetry;
  for (int i = 1; i < failures && wait < refresh; ++i) wait *= 2;
  return now + std::min<std::chrono::seconds>(wait, refresh);
}

}  // namespace

RevocationService::RevocationService(RevocationLists& lists, RevocationSettings settings,
                                     IssuingCas cas, FetchSettings fetch, const Clock& clock,
                                     Poco::Logger& log)
    : lists_(lists),
      settings_(std::move(settings)),
      cas_(std::move(cas)),
      fetch_(std::move(fetch)),
      clock_(clock),
      log_(log) {}

Result<RevocationService> RevocationService::open(RevocationLists& lists, const HubConfig& config,
                                                  const Clock& clock, Poco::Logger& log) {
  auto cas = IssuingCas::fromFiles(config.revocation.ca_files);
  if (!cas) return tl::unexpected(cas.error().wrap("[revocation] ca_files"));
  FetchSettings fetch;
  fetch.proxy = [setting = config.revocation.proxy.value_or(config.upstream.proxy)](
                    const std::string& host) -> Result<std::optional<FetchProxy>> {
    auto proxy = sync::resolveProxy(setting, host, sync::processEnvironment());
    if (!proxy) return tl::unexpected(proxy.error());
    if (!*proxy) return std::nullopt;
    return FetchProxy{(*proxy)->host, (*proxy)->port, (*proxy)->username, (*proxy)->password};
  };
  fetch.timeout = config.revocation.timeout;
  return RevocationService(lists, config.revocation, std::move(*cas), std::move(fetch), clock, log);
}

Result<std::vector<CrlSourceRecord>> RevocationService::refreshSources() {
  CKS_TRY(lists_.setConfiguredSources(settings_.crl_urls));
  auto seen = lists_.distributionUrlsSeen();
  if (!seen) return tl::unexpected(seen.error());
  CKS_TRY(lists_.addSources(*seen));
  return lists_.sources();
}

Result<std::vector<CrlSourceRecord>> RevocationService::fetchAll() { return fetch(false); }

Result<std::vector<CrlSourceRecord>> RevocationService::fetchDue() { return fetch(true); }

Result<std::vector<CrlSourceRecord>> RevocationService::fetch(bool only_due) {
  auto sources = refreshSources();
  if (!sources) return tl::unexpected(sources.error());
  const TimePoint now = clock_.now();
  std::vector<CrlSourceRecord> done;
  for (auto& source : *sources) {
    if (only_due && source.next_fetch && *source.next_fetch > now) continue;
    auto fetched = fetchOne(std::move(source));
    if (!fetched) return tl::unexpected(fetched.error());
    done.push_back(std::move(*fetched));
  }
  // A list accepted, or one gone past its nextUpdate since the last round, changes what the
  // agencies were told; nothing changed, nothing is queued.
  auto told = lists_.queueStatusChanges(clock_.now());
  if (!told) return tl::unexpected(told.error());
  if (*told > 0) {
    log_.information("revocation: " + std::to_string(*told) +
                     " certificate statuses changed, queued to their agencies");
  }
  return done;
}

Result<std::optional<TimePoint>> RevocationService::nextDue() {
  auto sources = lists_.sources();
  if (!sources) return tl::unexpected(sources.error());
  std::optional<TimePoint> earliest;
  for (const auto& source : *sources) {
    const TimePoint due = source.next_fetch.value_or(TimePoint{});
    if (!earliest || due < *earliest) earliest = due;
  }
  return earliest;
}

CrlSourceRecord RevocationService::refused(CrlSourceRecord source, CrlOutcome outcome,
                                           const std::string& detail, TimePoint now) {
  source.last_fetch = now;
  source.outcome = outcome;
  source.detail = detail;
  source.failures += 1;
  source.next_fetch = nextAfterFailure(now, settings_.refresh, source.failures);
  log_.warning("revocation: " + source.url + ": " + std::string(toString(outcome)) + ": " + detail +
               "; the list held stays; next try " + formatIsoUtc(*source.next_fetch));
  return source;
}

Result<CrlSourceRecord> RevocationService::fetchOne(CrlSourceRecord source) {
  const TimePoint now = clock_.now();
  auto bytes = fetchCrl(source.url, fetch_);
  if (!bytes) {
    source = refused(std::move(source), CrlOutcome::Unreachable, bytes.error().message, now);
    CKS_TRY(lists_.recordFetch(source));
    return source;
  }
  // The very bytes of the list held (most refreshes): unchanged, without parsing 200,000
  // entries again; still refused once past its nextUpdate.
  if (!source.issuer.empty()) {
    auto held = lists_.heldFor(source.issuer);
    if (!held) return tl::unexpected(held.error());
    if (*held && (*held)->der_sha256 == sha256Hex(*bytes)) {
      const auto& next_update = (*held)->list.next_update;
      if (next_update && *next_update < now) {
        source = refused(std::move(source), CrlOutcome::Expired,
                         "the list held, served again: its nextUpdate " +
                             formatIsoUtc(*next_update) + " has passed",
                         now);
      } else {
        source = current(std::move(source), CrlOutcome::Unchanged, next_update, now);
      }
      CKS_TRY(lists_.recordFetch(source));
      return source;
    }
  }
  auto list = readRevocationList(*bytes, cas_, now);
  if (!list) {
    source = refused(std::move(source), list.error().outcome, list.error().detail, now);
    CKS_TRY(lists_.recordFetch(source));
    return source;
  }
  source.issuer = list->issuer;
  auto held = lists_.heldFor(list->issuer);
  if (!held) return tl::unexpected(held.error());
  const Succession order = *held ? succession(*list, (*held)->list) : Succession::Newer;
  if (order == Succession::Older) {
    source = refused(std::move(source), CrlOutcome::Older,
                     "thisUpdate " + formatIsoUtc(list->this_update) + ", cRLNumber " +
                         (list->crl_number.empty() ? "-" : list->crl_number) +
                         ": older than the list held (thisUpdate " +
                         formatIsoUtc((*held)->list.this_update) + ")",
                     now);
    CKS_TRY(lists_.recordFetch(source));
    return source;
  }
  if (order == Succession::Newer) {
    auto changes = lists_.replace(*list, source.url, now);
    if (!changes) return tl::unexpected(changes.error());
    log_.information("revocation: " + source.url + ": accepted the list of " + list->issuer +
                     " of " + formatIsoUtc(list->this_update) + " (" +
                     std::to_string(list->entries.size()) + " entries, " +
                     std::to_string(changes->added) + " new, " + std::to_string(changes->removed) +
                     " gone)");
  }
  source = current(std::move(source),
                   order == Succession::Newer ? CrlOutcome::Accepted : CrlOutcome::Unchanged,
                   list->next_update, now);
  CKS_TRY(lists_.recordFetch(source));
  return source;
}

CrlSourceRecord RevocationService::current(CrlSourceRecord source, CrlOutcome outcome,
                                           const std::optional<TimePoint>& next_update,
                                           TimePoint now) const {
  source.last_fetch = now;
  source.outcome = outcome;
  source.detail.clear();
  source.failures = 0;
  source.next_fetch = nextAfterSuccess(now, settings_.refresh, next_update);
  return source;
}

Result<RevocationView> RevocationService::view() {
  auto sources = lists_.sources();
  if (!sources) return tl::unexpected(sources.error());
  RevocationView view;
  view.at = clock_.now();
  for (auto& source : *sources) {
    RevocationSourceView line;
    if (!source.issuer.empty()) {
      auto held = lists_.heldFor(source.issuer);
      if (!held) return tl::unexpected(held.error());
      line.held = std::move(*held);
      if (line.held) {
        auto revoked = lists_.revokedHeld(source.issuer);
        if (!revoked) return tl::unexpected(revoked.error());
        line.revoked_certificates = *revoked;
      }
    }
    line.source = std::move(source);
    view.sources.push_back(std::move(line));
  }
  return view;
}

Result<RevocationStatus> RevocationService::statusOf(const std::string& issuer,
                                                     const std::string& serial) {
  auto listing = lists_.listing(issuer, serial);
  if (!listing) return tl::unexpected(listing.error());
  return revocationStatusAt(*listing, clock_.now());
}

}  // namespace cks::hub
