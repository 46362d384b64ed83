// The agent's side of a sync, as the sync session sees it (sync::SyncState): the outbox and
// sync state in the agent's store, the inventory digest, and the province's feed applied to
// what the agent keeps (agency, settings, the province's steps on requests). Thread-safe through
// the store's lock.
#pragma once

#include "core/clock.h"
#include "store/inventory.h"
#include "store/outbox.h"
#include "store/requests.h"
#include "sync/client/sync_session.h"

namespace cks::agent {

class AgentSyncState final : public sync::SyncState {
 public:
  AgentSyncState(store::Inventory& inventory, const Clock& clock)
      : inventory_(inventory), outbox_(inventory), requests_(inventory), clock_(clock) {}

  Result<std::vector<sync::OutboxEntry>> pending(const std::string& lane, int limit) override;
  Result<std::int64_t> backlog() override;
  Status acknowledge(const std::string& lane, std::int64_t acked) override;
  Result<std::int64_t> feedCursor() override;
  Status applyFeed(const std::vector<sync::FeedItem>& items, std::int64_t new_cursor) override;
  Result<sync::DigestRequest> digest() override;
  Status queueSnapshot() override;
  Status recordHubContact(TimePoint hub_time, TimePoint local_time) override;

  store::Outbox& outbox() { return outbox_; }

 private:
  store::Inventory& inventory_;
  store::Outbox outbox_;
  store::Requests requests_;
  const Clock& clock_;
};

}  // namespace cks::agent
