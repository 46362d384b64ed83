#include "hub/sync_api.h"

#include <optional>
#include <string_view>
#include <vector>

#include "core/error_code.h"
#include "core/time_format.h"
#include "hub/enroll_code.h"
#include "hub/inventory_change.h"
#include "sync/protocol/codec.h"
#include "sync/protocol/inventory_digest.h"

namespace cks::hub {
namespace {

// Statuses of refusals from the one mapping of error kinds (core/error_code.h).
constexpr int kOk = 200;
constexpr int kBadRequest = httpStatus(ErrorCode::InvalidArgument);
constexpr int kForbidden = httpStatus(ErrorCode::PermissionDenied);
constexpr int kNotFound = httpStatus(ErrorCode::NotFound);
constexpr int kConflict = httpStatus(ErrorCode::Conflict);
constexpr int kTooLarge = 413;  // a body over the size limit: HTTP's own answer, no error kind
constexpr int kTooMany = 429;   // an agent's volume of the day is used up: HTTP's own answer too
constexpr int kInternal = httpStatus(ErrorCode::Internal);

}  // namespace

SyncApi::SyncApi(Registry& registry, Ingest& ingest, ProvinceViews& views, const HubPki& pki,
                 const Clock& clock, Poco::Logger& log, RequestSettings requests,
                 ProvinceIdentity province, std::size_t agent_daily_volume)
    : registry_(registry),
      ingest_(ingest),
      views_(views),
      pki_(pki),
      clock_(clock),
      log_(log),
      requests_(std::move(requests)),
      calendar_(requests_.calendar()),
      province_(std::move(province)),
      volume_(agent_daily_volume) {}

SyncAnswer SyncApi::refuse(int status, const std::string& error, const std::string& message,
                           std::optional<std::int64_t> acked) const {
  return {status, sync::encode(sync::ErrorBody{error, message, acked, clock_.now()})};
}

SyncAnswer SyncApi::internal(const std::string& what, const Error& error) const {
  log_.error(what + ": " + error.message);
  return refuse(kInternal, "internal", what + ": the hub failed; nothing was stored");
}

SyncAnswer SyncApi::handle(const ClientIdentity& caller, const std::string& method,
                           const std::string& path, const std::string& body) {
  const bool known_path = path == "/v1/enroll" || path == "/v1/push" || path == "/v1/pull" ||
                          path == "/v1/digest" || path == "/v1/renew";
  if (method != "POST" || !known_path) {
    return refuse(kNotFound, "not_found",
                  method + " " + path + " is not an endpoint of the sync API (POST /v1/enroll, " +
                      "/v1/push, /v1/pull, /v1/digest, /v1/renew)");
  }
  if (path == "/v1/enroll") {
    if (caller.kind != ClientIdentity::Kind::SelfSigned) {
      return refuse(kForbidden, "forbidden",
                    "enrolment takes a self-signed certificate made from the key being enrolled");
    }
    return enroll(caller, body);
  }
  if (caller.kind != ClientIdentity::Kind::Agent) {
    return refuse(kForbidden, "forbidden",
                  "this certificate is not enrolled: it may call POST /v1/enroll only");
  }
  auto agent = registry_.agent(caller.agent_id);
  if (!agent) return internal("agent " + caller.agent_id, agent.error());
  if (!*agent) {
    return refuse(kForbidden, "forbidden", "agent " + caller.agent_id + " is unknown to this hub");
  }
  if ((*agent)->revoked) {
    return refuse(kForbidden, "forbidden", "agent " + caller.agent_id + " has been revoked");
  }
  if ((*agent)->agency_code != caller.agency_code) {
    return refuse(kForbidden, "forbidden",
                  "the certificate names agency " + caller.agency_code + " but agent " +
                      caller.agent_id + " belongs to " + (*agent)->agency_code);
  }
  if (path == "/v1/push") return push(**agent, body);
  if (path == "/v1/pull") return pull(**agent, body);
  if (path == "/v1/renew") return renew(**agent, body);
  return digest(**agent, body);
}

// The caller proved its current certificate in the handshake; the CSR's own signature proves it
// holds the new key. The new certificate names the same agent and agency: only the key and the
// validity change, so every record of the agent stays its own.
SyncAnswer SyncApi::renew(const AgentRecord& agent, const std::string& body) {
  auto request = sync::decodeRenewRequest(body);
  if (!request) return refuse(kBadRequest, "bad_request", request.error().message);
  if (auto key = pki_.csrPublicKey(request->csr_pem); !key) {
    return refuse(kBadRequest, "bad_request", key.error().message);
  }
  auto certificate = pki_.signAgentCsr(request->csr_pem, agent.agent_id, agent.agency_code);
  if (!certificate) return internal("renew", certificate.error());
  log_.information("renewed the certificate of agent " + agent.agent_id + " of " +
                   agent.agency_code);
  sync::RenewResponse response;
  response.certificate_pem = *certificate;
  response.agent_ca_pem = pki_.agentCaPem();
  response.hub_time = clock_.now();
  return {kOk, sync::encode(response)};
}

SyncAnswer SyncApi::enroll(const ClientIdentity& caller, const std::string& body) {
  auto request = sync::decodeEnrollRequest(body);
  if (!request) return refuse(kBadRequest, "bad_request", request.error().message);
  auto csr_key = pki_.csrPublicKey(request->csr_pem);
  if (!csr_key) return refuse(kBadRequest, "bad_request", csr_key.error().message);
  // Proof of possession: the TLS handshake proved the caller holds the key of its certificate.
  if (*csr_key != caller.public_key) {
    return refuse(kForbidden, "forbidden",
                  "csr: its public key is not the key of the TLS client certificate");
  }
  const TimePoint now = clock_.now();
  const std::string hash = enrollCodeHash(request->code);
  auto code = registry_.enrollCode(hash);
  if (!code) return internal("enroll", code.error());
  if (!*code) return refuse(kForbidden, "enroll_code_invalid", "code: unknown enrolment code");
  if ((*code)->used_at) {
    return refuse(kForbidden, "enroll_code_invalid",
                  "code: this enrolment code was already used at " +
                      formatIsoUtc(*(*code)->used_at) + " (ask the province for a new one)");
  }
  if ((*code)->revoked_at) {
    return refuse(kForbidden, "enroll_code_invalid",
                  "code: the province withdrew this enrolment code at " +
                      formatIsoUtc(*(*code)->revoked_at) + " (ask the province for a new one)");
  }
  if ((*code)->expires_at <= now) {
    return refuse(kForbidden, "enroll_code_invalid",
                  "code: this enrolment code expired at " + formatIsoUtc((*code)->expires_at) +
                      " (ask the province for a new one)");
  }
  const std::string agent_id = newUuid();
  auto certificate = pki_.signAgentCsr(request->csr_pem, agent_id, (*code)->agency_code);
  if (!certificate) return internal("enroll", certificate.error());
  auto redeemed = registry_.redeemEnrollCode(
      hash, now, {agent_id, (*code)->agency_code, request->host, request->agent_version, now});
  if (!redeemed) return internal("enroll", redeemed.error());
  if (!*redeemed) {
    return refuse(kForbidden, "enroll_code_invalid",
                  "code: this enrolment code was used, withdrawn or expired just now");
  }
  log_.information("enrolled agent " + agent_id + " of " + (*code)->agency_code + " (host " +
                   request->host + ", version " + request->agent_version + ")");
  sync::EnrollResponse response;
  response.agent_id = agent_id;
  response.agency_code = (*code)->agency_code;
  response.agency_name = (*code)->agency_name;
  response.certificate_pem = *certificate;
  response.agent_ca_pem = pki_.agentCaPem();
  response.hub_time = now;
  // The agency's identity on its documents, as far as the province's configuration says it.
  const AgencyIdentity identity = province_.agency((*code)->agency_code, (*code)->agency_name);
  response.parent_body = identity.parent_body;
  response.province = identity.province;
  response.place = identity.place;
  response.department = identity.department;
  return {kOk, sync::encode(response)};
}

SyncAnswer SyncApi::push(const AgentRecord& agent, const std::string& body) {
  auto request = sync::decodePushRequest(body);
  if (!request) return refuse(kBadRequest, "bad_request", request.error().message);
  if (request->entries.size() > size_t(sync::kMaxEntriesPerPush)) {
    return refuse(kTooLarge, "too_large",
                  "entries: " + std::to_string(request->entries.size()) + " entries, at most " +
                      std::to_string(sync::kMaxEntriesPerPush) + " per push");
  }
  // Each entry's body is stored as it arrived: writing the parsed body out again cost as much
  // as parsing it.
  const auto bodies = pushEntryBodies(body);
  const bool have_bodies = bodies.size() == request->entries.size();
  PushBatch batch;
  batch.lane = request->lane;
  batch.backlog = request->backlog;
  batch.agent_version = request->agent_version;
  if (request->agent_time != TimePoint{}) batch.agent_time = request->agent_time;
  // Requests are received at the time the push is stored under: their deadline starts then.
  const TimePoint now = clock_.now();
  for (size_t i = 0; i < request->entries.size(); ++i) {
    const std::string where = "entries[" + std::to_string(i) + "]";
    const auto& entry = request->entries[i];
    if (i > 0 && entry.seq != request->entries[i - 1].seq + 1) {
      return refuse(kBadRequest, "bad_request",
                    where + ".seq: expected " + std::to_string(request->entries[i - 1].seq + 1) +
                        " (a batch holds consecutive seq in ascending order)");
    }
    auto change = readInventoryChange(entry, where, rules_,
                                      have_bodies && entry.body ? bodies[i] : std::nullopt);
    if (!change) return refuse(kBadRequest, "bad_request", change.error().message);
    // A report of an absurd year (a typo like 2062 from an agent that did not check it) is
    // acknowledged but not kept: the province must not list a draft or a report for it.
    const std::optional<int> report_year =
        change->report_submitted     ? std::optional<int>(change->report_submitted->report.year)
        : change->report_draft_saved ? std::optional<int>(change->report_draft_saved->year)
                                     : std::nullopt;
    if (report_year && !plausibleReportYear(*report_year, now)) {
      log_.warning("push from " + agent.agent_id + " of " + agent.agency_code + ": " + where +
                   " (" + change->kind + ") is for year " + std::to_string(*report_year) +
                   ", outside " + std::to_string(kFirstPlausibleReportYear) + "–" +
                   std::to_string(lastPlausibleReportYear(now)) + ": acknowledged, not kept");
      change->report_submitted.reset();
      change->report_draft_saved.reset();
      change->ignored = true;
    }
    if (change->request_filed) {
      auto& filed = *change->request_filed;
      filed.receipt = receiveRequest(filed.request, requests_, calendar_, now);
      const int year = int(std::chrono::year_month_day(filed.receipt->due_date).year());
      if (!calendar_.coversYear(year)) {
        log_.warning("request " + filed.request.id + " of " + agent.agency_code + ": " +
                     message(Language::English, "workdays.not_covered", {std::to_string(year)}));
      }
    }
    batch.entries.push_back(std::move(*change));
  }
  // Checked once the push is known to be valid, so that a bad push costs the agent nothing.
  if (!volume_.knows(agent.agent_id, now)) {
    const TimePoint day = std::chrono::floor<std::chrono::days>(now);
    auto stored = ingest_.bodyLengthSince(agent.agent_id, day);
    if (!stored) return internal("push from " + agent.agent_id, stored.error());
    volume_.seed(agent.agent_id, std::size_t(*stored), now);
  }
  if (!volume_.fits(agent.agent_id, body.size(), now)) {
    const std::string used = std::to_string(volume_.accepted(agent.agent_id, now));
    log_.warning(
        "push from " + agent.agent_id + " of " + agent.agency_code + " refused: " + used +
        " bytes accepted today (UTC), " + std::to_string(body.size()) +
        " more would pass [server] agent_daily_volume = " + std::to_string(volume_.perDay()));
    return refuse(kTooMany, "volume_exceeded",
                  "this agent has sent " + used + " bytes today (UTC) and the hub accepts " +
                      std::to_string(volume_.perDay()) +
                      " a day from one agent: the entries wait in the agent's outbox until "
                      "tomorrow (ask the province if this agent really changes that much)");
  }
  auto outcome = ingest_.push(agent.agent_id, batch, now);
  if (!outcome) return internal("push from " + agent.agent_id, outcome.error());
  if (outcome->kind == PushOutcome::Kind::Acked) volume_.add(agent.agent_id, body.size(), now);
  switch (outcome->kind) {
    case PushOutcome::Kind::Gap:
      return refuse(kConflict, "sequence_gap", outcome->message, outcome->acked);
    case PushOutcome::Kind::Conflict:
      log_.warning("push from " + agent.agent_id + ": " + outcome->message);
      return refuse(kConflict, "sequence_conflict", outcome->message);
    case PushOutcome::Kind::Refused:
      log_.warning("push from " + agent.agent_id + ": " + outcome->message);
      return refuse(kBadRequest, "bad_request", outcome->message);
    case PushOutcome::Kind::Acked:
      break;
  }
  return {kOk, sync::encode(sync::PushResponse{outcome->acked, now})};
}

SyncAnswer SyncApi::pull(const AgentRecord& agent, const std::string& body) {
  auto request = sync::decodePullRequest(body);
  if (!request) return refuse(kBadRequest, "bad_request", request.error().message);
  auto items = ingest_.feedAfter(agent.agent_id, request->cursor, sync::kMaxFeedItemsPerPull);
  if (!items) return internal("pull from " + agent.agent_id, items.error());
  sync::PullResponse response;
  response.cursor = items->empty() ? request->cursor : items->back().seq;
  response.items = std::move(*items);
  response.hub_time = clock_.now();
  return {kOk, sync::encode(response)};
}

SyncAnswer SyncApi::digest(const AgentRecord& agent, const std::string& body) {
  auto request = sync::decodeDigestRequest(body);
  if (!request) return refuse(kBadRequest, "bad_request", request.error().message);
  const ViewScope scope{"", agent.agent_id};
  auto tokens = views_.allTokens(scope);
  if (!tokens) return internal("digest for " + agent.agent_id, tokens.error());
  auto certificates = views_.allCertificates(scope);
  if (!certificates) return internal("digest for " + agent.agent_id, certificates.error());
  std::vector<sync::DigestToken> digest_tokens;
  for (const auto& t : *tokens) {
    digest_tokens.push_back({t.token.token.serial, t.token.token.manufacturer, t.token.present});
  }
  std::vector<sync::DigestCertificate> digest_certificates;
  for (const auto& c : *certificates) {
    digest_certificates.push_back({c.certificate.certificate.fingerprint_sha256,
                                   c.certificate.token_serial, c.certificate.present});
  }
  const bool match = sync::inventoryDigest(digest_tokens, digest_certificates) == request->digest;
  if (!match) {
    log_.information("digest of agent " + agent.agent_id +
                     " differs (agent: " + std::to_string(request->tokens) + " tokens, " +
                     std::to_string(request->certificates) +
                     " certificates; hub: " + std::to_string(tokens->size()) + ", " +
                     std::to_string(certificates->size()) + ")");
  }
  return {kOk, sync::encode(sync::DigestResponse{match, clock_.now()})};
}

}  // namespace cks::hub
