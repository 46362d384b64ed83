#include "agent/hub_sync.h"

#include <filesystem>

#include "agent/agency_profile.h"
#include "core/time_format.h"
#include "platform/files.h"
#include "sync/client/backoff.h"
#include "sync/client/clock_offset.h"
#include "sync/client/enrollment.h"
#include "sync/client/hub_transport.h"
#include "sync/client/sync_session.h"

namespace cks::agent {

using namespace std::chrono_literals;

namespace {

SyncResult failure(std::string outcome, std::string message) {
  SyncResult result;
  result.outcome = std::move(outcome);
  result.message = std::move(message);
  return result;
}

// How soon after a local change the agent syncs: changes close together go in one sync.
constexpr auto kAfterChange = 5s;
// The first sync after start-up, once the first scan is recorded.
constexpr auto kAfterStart = 10s;

SyncResult fromReport(const sync::SyncReport& report) {
  SyncResult result;
  result.outcome = sync::outcomeName(report.outcome);
  result.message = report.message;
  result.pushed = report.pushed;
  result.remaining = report.remaining;
  result.hub_error = report.hub_error;
  if (report.clock_offset) result.clock_offset_seconds = report.clock_offset->count();
  return result;
}

}  // namespace

HubSync::HubSync(const AgentConfig& config, store::Inventory& inventory, const Clock& clock,
                 Poco::Logger& logger)
    : config_(config), clock_(clock), logger_(logger), state_(inventory, clock) {}

HubSync::~HubSync() { stop(); }

std::optional<Enrollment> HubSync::enrollment() {
  auto& outbox = state_.outbox();
  auto url = outbox.state("hub_url");
  auto agent_id = outbox.state("agent_id");
  if (!url || !agent_id || !*url || !*agent_id) return std::nullopt;
  auto code = outbox.state("agency_code");
  auto name = outbox.state("agency_name");
  return Enrollment{**url, **agent_id, code && *code ? **code : "", name && *name ? **name : ""};
}

std::optional<SyncResult> HubSync::lastResult() {
  std::lock_guard lock(mutex_);
  return last_;
}

std::optional<std::int64_t> HubSync::clockOffsetSeconds() {
  auto offset = state_.outbox().state("hub_offset_seconds");
  if (!offset || !*offset) return std::nullopt;
  return std::stoll(**offset);
}

std::optional<TimePoint> HubSync::lastContact() {
  for (const char* key : {"last_hub_contact", "enrolled_at"}) {
    auto value = state_.outbox().state(key);
    if (value && *value && !(*value)->empty()) {
      return TimePoint(std::chrono::seconds(std::stoll(**value)));
    }
  }
  return std::nullopt;
}

std::optional<HubRefusal> HubSync::refusal() {
  auto since = state_.outbox().state("hub_refused_since");
  if (!since || !*since || (*since)->empty()) return std::nullopt;
  auto message = state_.outbox().state("hub_refusal");
  return HubRefusal{TimePoint(std::chrono::seconds(std::stoll(**since))),
                    message && *message ? **message : ""};
}

// A 403 "forbidden" is the hub refusing this PC itself (revoked, or unknown after the hub's
// store was replaced): remember since when, for `cksctl status`. Any sync the hub accepts
// clears it.
void HubSync::recordRefusal(const SyncResult& result) {
  auto& outbox = state_.outbox();
  const bool refused = result.outcome == "refused" && result.hub_error == "forbidden";
  if (result.outcome != "ok" && !refused) return;
  auto since = outbox.state("hub_refused_since");
  const bool recorded = since && *since && !(*since)->empty();
  Status status = ok();
  if (refused && !recorded) {
    status = outbox.setState("hub_refused_since",
                             std::to_string(clock_.now().time_since_epoch().count()));
  }
  if (status && refused) status = outbox.setState("hub_refusal", result.message);
  if (status && !refused && recorded) status = outbox.setState("hub_refused_since", "");
  if (!status) logger_.error("sync: record the hub's refusal: %s", status.error().message);
}

tl::expected<Enrollment, SyncResult> HubSync::enroll(const std::string& hub_url,
                                                     const std::string& code,
                                                     const std::string& hub_ca_pem, bool force) {
  std::lock_guard one_at_a_time(syncing_);
  namespace fs = std::filesystem;
  std::error_code ignored;
  fs::create_directories(config_.hub_dir, ignored);
  (void)platform::restrictToOwner(config_.hub_dir);  // enrolment says what is wrong, if anything
  // The CA the officer handed over, for the enrolment to check the hub against (it keeps its
  // own copy afterwards).
  const std::string offered_ca = (fs::path(config_.hub_dir) / "hub-ca.offered.crt").string();
  if (auto written = platform::replaceFile(offered_ca, hub_ca_pem); !written) {
    SyncResult refused = failure("failed", written.error().message);
    refused.reason = written.error().code == ErrorCode::Unavailable ? "disk_full" : "failed";
    refused.folder = config_.hub_dir;
    logger_.warning("enrolment with %s failed: %s", hub_url, refused.message);
    return tl::unexpected(refused);
  }
  sync::EnrollmentSettings settings;
  settings.hub_url = hub_url;
  settings.hub_ca_file = offered_ca;
  settings.code = code;
  settings.files_dir = config_.hub_dir;
  settings.host = config_.host_name;
  settings.agent_version = CKS_VERSION;
  settings.proxy = config_.hub_proxy;
  settings.timeout = config_.hub_timeout;
  settings.force = force;
  auto& outbox = state_.outbox();
  // Everything the agent keeps of the enrolment in one transaction, before the files are kept.
  const auto record = [&](const sync::EnrollmentResult& result) -> Status {
    std::vector<std::pair<std::string, std::string>> state{
        {"hub_url", hub_url},
        {"agent_id", result.agent_id},
        {"feed_cursor", "0"},
        {"enrolled_at", std::to_string(clock_.now().time_since_epoch().count())},
        {"hub_refused_since", ""}};
    // Who the agency is on its documents, as the province says (an older hub sends only the
    // code and the name: the other fields are cleared, not left from an earlier enrolment).
    for (auto& field : enrolledIdentityState(result.identity)) state.push_back(std::move(field));
    // A new identity at the hub: its sequences start at 1, and everything still queued is kept
    // and renumbered, so a re-enrolment (--force after a revocation) loses nothing.
    return outbox.recordEnrolment(state);
  };
  auto enrolled = sync::enroll(settings, clock_, sync::makeHubTransport, record);
  fs::remove(offered_ca, ignored);
  if (!enrolled) {
    using Kind = sync::EnrollmentError::Kind;
    const auto kind = enrolled.error().kind;
    SyncResult refused;
    const auto general = enrolled.error().code();
    refused.outcome = kind == Kind::DiskFull                   ? "failed"
                      : general == ErrorCode::Unavailable      ? "unreachable"
                      : general == ErrorCode::PermissionDenied ? "refused"
                      : general == ErrorCode::Conflict         ? "already_enrolled"
                                                               : "failed";
    refused.message = enrolled.error().message;
    refused.reason = kind == Kind::AlreadyEnrolled ? "already_enrolled"
                     : kind == Kind::Unreachable   ? "unreachable"
                     : kind == Kind::Tls           ? "tls"
                     : kind == Kind::CodeInvalid   ? "code_invalid"
                     : kind == Kind::Refused       ? "refused"
                     : kind == Kind::DiskFull      ? "disk_full"
                                                   : "failed";
    if (kind == Kind::DiskFull) refused.folder = config_.hub_dir;
    if (const auto current = enrollment(); current && kind == Kind::AlreadyEnrolled) {
      refused.enrolled_hub = current->hub_url;
    }
    logger_.warning("enrolment with %s failed: %s", hub_url, refused.message);
    return tl::unexpected(refused);
  }
  logger_.information("enrolled with %s as agent %s of %s (%s)", hub_url, enrolled->agent_id,
                      enrolled->agency_name, enrolled->agency_code);
  changed();
  return Enrollment{hub_url, enrolled->agent_id, enrolled->agency_code, enrolled->agency_name};
}

std::optional<TimePoint> HubSync::certificateExpiry() {
  if (!enrollment()) return std::nullopt;
  auto expiry = sync::enrolledCertificateExpiry(config_.hub_dir);
  if (!expiry) return std::nullopt;
  return *expiry;
}

// Through the current certificate, before it ends (issue 15, finding 2). A failure leaves the
// current one in use and is tried again at the next sync; the alert rules warn when little is
// left ([alerts] agent_certificate).
void HubSync::renewIfDue(const Enrollment& enrolled) {
  if (auto finished = sync::finishRenewal(config_.hub_dir); !finished) {
    logger_.error("sync: %s", finished.error().message);
    return;
  }
  const auto expiry = sync::enrolledCertificateExpiry(config_.hub_dir);
  if (!expiry) {
    logger_.error("sync: %s", expiry.error().message);
    return;
  }
  if (*expiry - clock_.now() > config_.renew_before) return;
  auto transport = sync::makeHubTransport(sync::enrolledTransport(
      config_.hub_dir, enrolled.hub_url, config_.hub_proxy, config_.hub_timeout));
  if (auto renewed = sync::renewCertificate(config_.hub_dir, config_.host_name, *transport);
      !renewed) {
    logger_.warning("sync: this PC's certificate for the hub expires at %s and was not renewed: %s",
                    formatIsoUtc(*expiry), renewed.error().message);
    return;
  }
  const auto renewed_expiry = sync::enrolledCertificateExpiry(config_.hub_dir);
  logger_.information(
      "sync: renewed this PC's certificate for the hub: it expired at %s, the new "
      "one at %s",
      formatIsoUtc(*expiry), renewed_expiry ? formatIsoUtc(*renewed_expiry) : std::string("?"));
}

SyncResult HubSync::runSync() {
  const auto enrolled = enrollment();
  if (!enrolled) {
    return failure("not_enrolled", "this agent is not enrolled with a hub");
  }
  // A kill during `enroll --force` between the new files and their record: the record wins.
  if (auto undone = sync::undoUnrecordedEnrollment(config_.hub_dir, enrolled->agent_id); !undone) {
    logger_.error("sync: %s", undone.error().message);
  } else if (*undone) {
    logger_.warning(
        "sync: an enrolment was stopped before it was recorded; the files of the enrolment "
        "recorded (agent %s) are back in %s",
        enrolled->agent_id, config_.hub_dir);
  }
  renewIfDue(*enrolled);
  auto transport = sync::makeHubTransport(sync::enrolledTransport(
      config_.hub_dir, enrolled->hub_url, config_.hub_proxy, config_.hub_timeout));
  sync::SyncSession session(sync::SyncOptions{config_.sync_batch});
  const auto report = session.run(*transport, state_, clock_, CKS_VERSION);
  SyncResult result = fromReport(report);
  recordRefusal(result);
  if (report.outcome == sync::SyncReport::Outcome::Ok) {
    logger_.information("sync: %d sent, %d acknowledged, %d left%s", int(report.pushed),
                        int(report.acked), int(report.remaining),
                        std::string(report.snapshot_queued ? "; inventory snapshot sent" : ""));
  } else {
    logger_.warning("sync: %s: %s", result.outcome, result.message);
  }
  if (report.clock_offset && !sync::plausibleClockOffset(*report.clock_offset)) {
    logger_.warning(
        "the hub's clock is %s s off this PC's, more than a year: not applied "
        "(check the hub's time)",
        std::to_string(report.clock_offset->count()));
  } else if (result.clock_offset_seconds && std::llabs(*result.clock_offset_seconds) > 300) {
    logger_.warning("this PC's clock is %d s off the hub's", int(*result.clock_offset_seconds));
  }
  {
    std::lock_guard lock(mutex_);
    last_ = result;
  }
  if (on_synced_) on_synced_();
  return result;
}

SyncResult HubSync::syncNow() {
  std::lock_guard one_at_a_time(syncing_);
  return runSync();
}

void HubSync::changed() {
  std::lock_guard lock(mutex_);
  change_pending_ = true;
  wake_.notify_all();
}

void HubSync::start() {
  thread_ = std::thread([this] { loop(); });
}

void HubSync::stop() {
  stopping_ = true;
  {
    std::lock_guard lock(mutex_);
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void HubSync::loop() {
  sync::SystemRandomSource random;
  sync::Backoff backoff(random);
  auto next = std::chrono::steady_clock::now() + kAfterStart;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_until(lock, next, [this] { return stopping_.load() || change_pending_; });
    if (stopping_) break;
    if (change_pending_) {
      change_pending_ = false;
      next = std::min(next, std::chrono::steady_clock::now() + kAfterChange);
      continue;
    }
    if (std::chrono::steady_clock::now() < next) continue;
    lock.unlock();
    SyncResult result;
    {
      std::lock_guard one_at_a_time(syncing_);
      result = runSync();
    }
    lock.lock();
    const auto now = std::chrono::steady_clock::now();
    if (result.outcome == "ok" || result.outcome == "not_enrolled" || result.outcome == "refused") {
      // Refusals need a person (or a new hub setting), not a retry storm.
      backoff.reset();
      next = now + sync::jittered(config_.sync_interval, sync::kSyncPeriodJitter, random);
    } else {
      next = now + backoff.next();
    }
  }
}

}  // namespace cks::agent
