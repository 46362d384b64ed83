#include "sync/client/sync_session.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "sync/protocol/codec.h"

namespace cks::sync {
namespace {

using Outcome = SyncReport::Outcome;

// A feed longer than this many full pages waits for the next sync (the hub is feeding faster
// than we apply, or its cursor does not move).
constexpr int kMaxPullPages = 100;
// The same batch start sent this many times without the hub moving `acked` past it ends the
// sync instead of looping.
constexpr int kMaxStalls = 2;

// One run of the algorithm; every step returns false when the sync must stop, with the report
// already saying why.
class Run {
 public:
  Run(HubTransport& transport, SyncState& state, const Clock& clock,
      const std::string& agent_version, const SyncOptions& options)
      : transport_(transport),
        state_(state),
        clock_(clock),
        agent_version_(agent_version),
        batch_size_(std::clamp(options.batch_size, 1, kMaxEntriesPerPush)) {}

  SyncReport execute() {
    if (pull() && pushAll()) {
      bool match = false;
      if (digest(match)) {
        if (match) {
          succeed("");
        } else if (queueSnapshot() && pushAll()) {
          succeed("the hub's view of the inventory differed: snapshot sent");
        }
      }
    }
    if (auto backlog = state_.backlog()) {
      report_.remaining = *backlog;
    } else if (report_.outcome == Outcome::Ok) {
      stop(Outcome::Failed, backlog.error().message);
    }
    return std::move(report_);
  }

 private:
  bool pull() {
    auto cursor = state_.feedCursor();
    if (!cursor) return local(cursor.error());
    for (int page = 0; page < kMaxPullPages; ++page) {
      const auto answer = exchange("/v1/pull", encode(PullRequest{*cursor}));
      if (!answer) return false;
      if (answer->status != 200) return refused("/v1/pull", *answer);
      const auto response = decodePullResponse(answer->body);
      if (!response) return malformed("/v1/pull", response.error());
      if (!contact(response->hub_time)) return false;
      if (!response->items.empty() || response->cursor != *cursor) {
        if (auto applied = state_.applyFeed(response->items, response->cursor); !applied) {
          return local(applied.error());
        }
      }
      // A page shorter than the hub's maximum is the end of the feed: no extra round trip.
      const bool drained = response->items.size() < static_cast<std::size_t>(kMaxFeedItemsPerPull);
      if (drained || response->cursor <= *cursor) return true;
      *cursor = response->cursor;
    }
    return true;
  }

  bool pushAll() { return pushLane(kUrgentLane) && pushLane(kNormalLane); }

  bool pushLane(const std::string& lane) {
    std::int64_t previous_front = 0;
    int stalls = 0;
    for (;;) {
      auto entries = state_.pending(lane, batch_size_);
      if (!entries) return local(entries.error());
      if (entries->empty()) return true;
      const std::int64_t front = entries->front().seq;
      stalls = front == previous_front ? stalls + 1 : 0;
      previous_front = front;
      if (stalls >= kMaxStalls) {
        return stop(Outcome::Failed, "/v1/push " + lane + ": the hub does not acknowledge seq " +
                                         std::to_string(front));
      }
      auto backlog = state_.backlog();
      if (!backlog) return local(backlog.error());
      const std::size_t count = entries->size();
      // What will still wait once this batch is in: what the province sees as the backlog.
      const std::int64_t after_batch = std::max<std::int64_t>(0, *backlog - std::int64_t(count));
      PushRequest request{lane, std::move(*entries), after_batch, agent_version_, clock_.now()};
      const auto answer = exchange("/v1/push", encode(request));
      if (!answer) return false;

      if (answer->status == 200) {
        const auto response = decodePushResponse(answer->body);
        if (!response) return malformed("/v1/push", response.error());
        if (!contact(response->hub_time)) return false;
        report_.pushed += static_cast<std::int64_t>(count);
        report_.acked +=
            std::count_if(request.entries.begin(), request.entries.end(),
                          [&](const OutboxEntry& e) { return e.seq <= response->acked; });
        if (!acknowledge(lane, response->acked, front)) return false;
        continue;
      }
      if (answer->status == 413) {
        if (!contactFromRefusal(*answer)) return false;
        if (batch_size_ == 1) {
          report_.hub_error = "too_large";
          return stop(Outcome::Failed, "/v1/push " + lane + ": the hub refuses entry seq " +
                                           std::to_string(front) + " as too large");
        }
        batch_size_ = std::max(1, batch_size_ / 2);
        previous_front = 0;  // a smaller batch is progress of its own: not a stall
        continue;
      }
      if (answer->status == 409) {
        const auto refusal = decodeErrorBody(answer->body);
        if (refusal && refusal->error == "sequence_gap") {
          if (!contact(refusal->hub_time, true)) return false;
          // decodeErrorBody leaves `acked` empty when it is 0: the hub holds nothing yet.
          const std::int64_t acked = refusal->acked.value_or(0);
          if (acked + 1 < front) {
            report_.hub_error = refusal->error;
            return stop(Outcome::Failed,
                        "/v1/push " + lane + ": the hub holds seq 1.." + std::to_string(acked) +
                            " but this agent's outbox starts at " + std::to_string(front) +
                            ": the entries between were acknowledged earlier and are gone (was the "
                            "hub restored from a backup?)");
          }
          if (!acknowledge(lane, acked, front)) return false;
          continue;  // the next batch starts at acked + 1
        }
      }
      return refused("/v1/push " + lane, *answer);
    }
  }

  bool acknowledge(const std::string& lane, std::int64_t acked, std::int64_t front) {
    if (acked < front) return true;  // nothing of what we hold
    if (auto status = state_.acknowledge(lane, acked); !status) return local(status.error());
    return true;
  }

  bool digest(bool& match) {
    const auto request = state_.digest();
    if (!request) return local(request.error());
    const auto answer = exchange("/v1/digest", encode(*request));
    if (!answer) return false;
    if (answer->status != 200) return refused("/v1/digest", *answer);
    const auto response = decodeDigestResponse(answer->body);
    if (!response) return malformed("/v1/digest", response.error());
    if (!contact(response->hub_time)) return false;
    match = response->match;
    return true;
  }

  bool queueSnapshot() {
    if (auto status = state_.queueSnapshot(); !status) return local(status.error());
    report_.snapshot_queued = true;
    return true;
  }

  // Posts and counts; a transport failure ends the sync.
  std::optional<HubAnswer> exchange(const std::string& path, const std::string& body) {
    ++report_.requests;
    auto answer = transport_.post(path, body);
    if (!answer) {
      const bool unreachable = answer.error().code() == ErrorCode::Unavailable;
      stop(unreachable ? Outcome::Unreachable : Outcome::Failed,
           path + ": " + answer.error().message);
      return std::nullopt;
    }
    report_.bytes_sent += answer->bytes_sent;
    report_.bytes_received += answer->bytes_received;
    return std::move(*answer);
  }

  // Records the hub's time. `optional`: a refusal without hub_time (say, from a proxy).
  bool contact(TimePoint hub_time, bool optional = false) {
    if (optional && hub_time == TimePoint{}) return true;
    const TimePoint local_time = clock_.now();
    report_.clock_offset = hub_time - local_time;
    if (auto status = state_.recordHubContact(hub_time, local_time); !status) {
      return local(status.error());
    }
    return true;
  }

  bool contactFromRefusal(const HubAnswer& answer) {
    const auto refusal = decodeErrorBody(answer.body);
    return !refusal || contact(refusal->hub_time, true);
  }

  // A non-200 answer that ends the sync: 400, 403 and 409 are refusals, the rest failures.
  bool refused(const std::string& where, const HubAnswer& answer) {
    const bool refusal_status =
        answer.status == 400 || answer.status == 403 || answer.status == 409;
    std::string message = where + ": the hub answered " + std::to_string(answer.status);
    if (const auto refusal = decodeErrorBody(answer.body)) {
      if (!contact(refusal->hub_time, true)) return false;
      report_.hub_error = refusal->error;
      message += " " + refusal->error + ": " + refusal->message;
    }
    return stop(refusal_status ? Outcome::Refused : Outcome::Failed, message);
  }

  bool malformed(const std::string& where, const Error& error) {
    return stop(Outcome::Failed, where + ": the hub's answer is malformed: " + error.message);
  }

  bool local(const Error& error) { return stop(Outcome::Failed, error.message); }

  bool stop(Outcome outcome, std::string message) {
    report_.outcome = outcome;
    report_.message = std::move(message);
    return false;
  }

  void succeed(std::string message) {
    report_.outcome = Outcome::Ok;
    report_.message = std::move(message);
  }

  HubTransport& transport_;
  SyncState& state_;
  const Clock& clock_;
  const std::string& agent_version_;
  int batch_size_;
  SyncReport report_;
};

}  // namespace

const char* outcomeName(SyncReport::Outcome outcome) {
  switch (outcome) {
    case Outcome::Ok:
      return "ok";
    case Outcome::Unreachable:
      return "unreachable";
    case Outcome::Refused:
      return "refused";
    case Outcome::Failed:
      break;
  }
  return "failed";
}

SyncSession::SyncSession(SyncOptions options) : options_(options) {}

SyncReport SyncSession::run(HubTransport& transport, SyncState& state, const Clock& clock,
                            const std::string& agent_version) {
  try {
    return Run(transport, state, clock, agent_version, options_).execute();
  } catch (const std::exception& e) {
    // The codecs can throw on hostile numbers (Poco::RangeException for an integer beyond
    // int64); a sync must end with a report, not take the agent's sync thread down.
    SyncReport report;
    report.outcome = Outcome::Failed;
    report.message = std::string("sync: unexpected exception: ") + e.what();
    return report;
  }
}

}  // namespace cks::sync
