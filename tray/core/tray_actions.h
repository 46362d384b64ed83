// What the tray's menu does through the local API (acknowledge, sync now) and the one-line
// check of `cks-tray --check`, each returning the sentence to show the user. Blocking: run on
// a worker thread (ActionQueue), never on the UI thread. Never touches a token or its PIN.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/messages.h"
#include "core/result.h"
#include "tray/core/local_api_connection.h"
#include "tray/core/tray_menu.h"

namespace cks::tray {

class TrayActions {
 public:
  TrayActions(LocalApiConnection& api, Language language) : api_(api), language_(language) {}

  // POST /v1/alerts/ID/ack for each id; empty when all were acknowledged (or already resolved:
  // nothing left to do), else the sentence saying what failed.
  [[nodiscard]] std::string acknowledge(const std::vector<std::int64_t>& ids);
  // POST /v1/sync; the sentence for its outcome (the same as `cksctl sync` prints).
  [[nodiscard]] std::string syncNow();
  // GET /v1/status and GET /v1/alerts: "cks-agent 0.1.0 trên máy PC-VANTHU: 1 cảnh báo …";
  // an error (with the reason) when the agent is not reachable or answers an error.
  [[nodiscard]] Result<std::string> check();

 private:
  LocalApiConnection& api_;
  Language language_;
};

// One worker thread running queued tasks in order; the destructor runs what is queued and joins
// (call LocalApiConnection::cancel() first to make it quick). Thread-safe.
class ActionQueue {
 public:
  ActionQueue();
  ~ActionQueue();
  ActionQueue(const ActionQueue&) = delete;
  ActionQueue& operator=(const ActionQueue&) = delete;

  void post(std::function<void()> task);

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::thread worker_;
};

// Runs a menu choice that asks the agent something (acknowledge one or all, sync now) on
// `queue`, handing `notice` the sentence to show: a failed acknowledge, or the sync's outcome.
// Quit and None are the face's own and do nothing here. `snapshot` is what the menu showed.
void postMenuAction(MenuAction action, std::int64_t alert_id, const TraySnapshot& snapshot,
                    TrayActions& actions, ActionQueue& queue,
                    std::function<void(const std::string&)> notice);

}  // namespace cks::tray
