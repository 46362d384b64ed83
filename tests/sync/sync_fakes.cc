#include "tests/sync/sync_fakes.h"

#include <algorithm>

#include "sync/protocol/codec.h"

namespace cks::sync::test {

void MemorySyncState::add(const std::string& lane, int count, const std::string& kind) {
  auto& next = next_seq.try_emplace(lane, 1).first->second;
  for (int i = 0; i < count; ++i, ++next) {
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("n", next);
    lanes[lane].push_back({next, lane + "-" + std::to_string(next), kind,
                           TimePoint(std::chrono::seconds(next)), body});
  }
}

std::vector<std::int64_t> MemorySyncState::seqs(const std::string& lane) const {
  std::vector<std::int64_t> out;
  if (const auto found = lanes.find(lane); found != lanes.end()) {
    for (const auto& entry : found->second) out.push_back(entry.seq);
  }
  return out;
}

Result<std::vector<OutboxEntry>> MemorySyncState::pending(const std::string& lane, int limit) {
  std::vector<OutboxEntry> out;
  for (const auto& entry : lanes[lane]) {
    if (static_cast<int>(out.size()) == limit) break;
    out.push_back(entry);
  }
  return out;
}

Result<std::int64_t> MemorySyncState::backlog() {
  std::int64_t total = 0;
  for (const auto& [lane, entries] : lanes) total += static_cast<std::int64_t>(entries.size());
  return total;
}

Status MemorySyncState::acknowledge(const std::string& lane, std::int64_t acked) {
  if (fail_acknowledge) return fail(*fail_acknowledge);
  acknowledgements.emplace_back(lane, acked);
  std::erase_if(lanes[lane], [&](const OutboxEntry& e) { return e.seq <= acked; });
  return ok();
}

Status MemorySyncState::applyFeed(const std::vector<FeedItem>& items, std::int64_t new_cursor) {
  applied.insert(applied.end(), items.begin(), items.end());
  cursor = new_cursor;
  return ok();
}

Status MemorySyncState::queueSnapshot() {
  ++snapshots;
  add(kNormalLane, 1, "snapshot");
  return ok();
}

Status MemorySyncState::recordHubContact(TimePoint hub_time, TimePoint local_time) {
  contacts.emplace_back(hub_time, local_time);
  return ok();
}

std::string errorJson(const std::string& error, TimePoint hub_time,
                      std::optional<std::int64_t> acked) {
  return encode(ErrorBody{error, "test refusal: " + error, acked, hub_time});
}

FakeHub::Answer FakeHub::answer(int status, std::string body, const std::string& request) const {
  HubAnswer out;
  out.status = status;
  out.bytes_sent = request.size();
  out.bytes_received = body.size();
  out.body = std::move(body);
  return out;
}

FakeHub::Answer FakeHub::post(const std::string& path, const std::string& json) {
  const int call = static_cast<int>(calls.size());
  calls.emplace_back(path, json);
  if (script) {
    if (auto scripted = script(call, path)) return *scripted;
  }
  if (path == "/v1/push") return push(json);
  if (path == "/v1/pull") return pull(json);
  if (path == "/v1/digest") return digest(json);
  return answer(404, errorJson("not_found", hub_time), json);
}

FakeHub::Answer FakeHub::push(const std::string& json) {
  const auto request = decodePushRequest(json);
  if (!request) return answer(400, errorJson("bad_request", hub_time), json);
  if (request->entries.size() > max_entries)
    return answer(413, errorJson("too_large", hub_time), json);
  auto& held = acked[request->lane];
  if (!request->entries.empty() && request->entries.front().seq > held + 1) {
    return answer(409, errorJson("sequence_gap", hub_time, held), json);
  }
  auto& lane = stored[request->lane];
  for (const auto& entry : request->entries) {
    const auto [it, inserted] = lane.try_emplace(entry.seq, entry.uuid);
    if (!inserted && it->second != entry.uuid) {
      return answer(409, errorJson("sequence_conflict", hub_time), json);
    }
  }
  while (lane.count(held + 1) != 0) ++held;
  return answer(200, encode(PushResponse{held, hub_time}), json);
}

FakeHub::Answer FakeHub::pull(const std::string& json) {
  const auto request = decodePullRequest(json);
  if (!request) return answer(400, errorJson("bad_request", hub_time), json);
  PullResponse response;
  response.cursor = request->cursor;
  response.hub_time = hub_time;
  for (const auto& item : feed) {
    if (item.seq <= request->cursor) continue;
    if (response.items.size() == page_size) break;
    response.items.push_back(item);
    response.cursor = item.seq;
  }
  return answer(200, encode(response), json);
}

FakeHub::Answer FakeHub::digest(const std::string& json) {
  if (!decodeDigestRequest(json)) return answer(400, errorJson("bad_request", hub_time), json);
  bool match = true;
  if (!digest_matches.empty()) {
    match = digest_matches.front();
    digest_matches.pop_front();
  }
  return answer(200, encode(DigestResponse{match, hub_time}), json);
}

std::vector<FakeHub::Push> FakeHub::pushes() const {
  std::vector<Push> out;
  for (const auto& [path, body] : calls) {
    if (path != "/v1/push") continue;
    const auto request = decodePushRequest(body);
    Push push{request ? request->lane : "?", {}};
    if (request) {
      for (const auto& entry : request->entries) push.seqs.push_back(entry.seq);
    }
    out.push_back(std::move(push));
  }
  return out;
}

std::vector<std::string> FakeHub::paths() const {
  std::vector<std::string> out;
  for (const auto& [path, body] : calls) out.push_back(path);
  return out;
}

}  // namespace cks::sync::test
