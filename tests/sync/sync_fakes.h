// Fakes for sync tests: an in-memory SyncState (the agent's outbox and feed cursor) and a
// FakeHub transport that follows docs/sync-protocol.md (idempotent pushes, gaps, 413, feed
// pages, digests) and can be told to fail a given call. Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sync/client/hub_transport.h"
#include "sync/client/sync_session.h"

namespace cks::sync::test {

class MemorySyncState final : public SyncState {
 public:
  // Appends `count` entries to `lane` with the next sequence numbers.
  void add(const std::string& lane, int count, const std::string& kind = "token_inserted");
  // The seqs `lane` still holds.
  [[nodiscard]] std::vector<std::int64_t> seqs(const std::string& lane) const;

  Result<std::vector<OutboxEntry>> pending(const std::string& lane, int limit) override;
  Result<std::int64_t> backlog() override;
  Status acknowledge(const std::string& lane, std::int64_t acked) override;
  Result<std::int64_t> feedCursor() override { return cursor; }
  Status applyFeed(const std::vector<FeedItem>& items, std::int64_t new_cursor) override;
  Result<DigestRequest> digest() override { return digest_value; }
  Status queueSnapshot() override;
  Status recordHubContact(TimePoint hub_time, TimePoint local_time) override;

  std::map<std::string, std::vector<OutboxEntry>> lanes;
  std::map<std::string, std::int64_t> next_seq;
  std::int64_t cursor = 0;
  std::vector<FeedItem> applied;
  DigestRequest digest_value{std::string(64, '0'), 0, 0};
  int snapshots = 0;
  std::vector<std::pair<TimePoint, TimePoint>> contacts;  // (hub, local)
  std::vector<std::pair<std::string, std::int64_t>> acknowledgements;
  std::optional<std::string> fail_acknowledge;  // error message to return
};

class FakeHub final : public HubTransport {
 public:
  using Answer = tl::expected<HubAnswer, TransportError>;
  explicit FakeHub(TimePoint at) : hub_time(at) {}

  Answer post(const std::string& path, const std::string& json) override;

  struct Push {
    std::string lane;
    std::vector<std::int64_t> seqs;
  };
  // The pushes received, decoded, in order.
  [[nodiscard]] std::vector<Push> pushes() const;
  [[nodiscard]] std::vector<std::string> paths() const;

  TimePoint hub_time;
  std::map<std::string, std::int64_t> acked;  // per lane: the highest contiguous seq held
  std::map<std::string, std::map<std::int64_t, std::string>> stored;  // lane -> seq -> uuid
  std::vector<FeedItem> feed;                                         // items with seq 1..n
  std::size_t page_size = 500;
  std::size_t max_entries = 1000;   // more in one push: 413
  std::deque<bool> digest_matches;  // answers to /v1/digest, true once empty
  // Consulted first for every call (0-based); an answer here replaces the protocol's.
  std::function<std::optional<Answer>(int call, const std::string& path)> script;
  std::vector<std::pair<std::string, std::string>> calls;  // (path, body)

 private:
  Answer answer(int status, std::string body, const std::string& request) const;
  Answer push(const std::string& json);
  Answer pull(const std::string& json);
  Answer digest(const std::string& json);
};

// A refusal body as the hub writes it.
[[nodiscard]] std::string errorJson(const std::string& error, TimePoint hub_time,
                                    std::optional<std::int64_t> acked = std::nullopt);

}  // namespace cks::sync::test
