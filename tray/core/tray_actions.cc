#include "tray/core/tray_actions.h"

#include <algorithm>

#include "tray/core/alert_feed.h"
#include "tray/core/json_value.h"
#include "tray/core/tray_menu.h"

namespace cks::tray {
namespace {

constexpr std::chrono::seconds kRequestTimeout{10};
constexpr std::chrono::seconds kSyncTimeout{120};  // the agent answers when the sync is done

// The agent's {"error", "message"} body as one phrase, or the raw body.
std::string apiError(const HttpAnswer& answer) {
  auto body = JsonValue::parse(answer.body);
  if (body) {
    if (auto text = (*body)["message"].asString(); text && !text->empty()) return *text;
    if (auto code = (*body)["error"].asString()) return *code;
  }
  return "HTTP " + std::to_string(answer.status);
}

}  // namespace

std::string TrayActions::acknowledge(const std::vector<std::int64_t>& ids) {
  for (const auto id : ids) {
    auto answer = api_.post("/v1/alerts/" + std::to_string(id) + "/ack", "", kRequestTimeout);
    if (!answer)
      return message(language_, "cli.agent_unreachable", {"cks-agent", answer.error().message});
    // 409: resolved meanwhile, 404: gone with a replaced store; nothing left to acknowledge.
    if (answer->status != 200 && answer->status != 404 && answer->status != 409) {
      return message(language_, "cli.api_error", {apiError(*answer)});
    }
  }
  return {};
}

std::string TrayActions::syncNow() {
  auto answer = api_.post("/v1/sync", "", kSyncTimeout);
  if (!answer)
    return message(language_, "cli.agent_unreachable", {"cks-agent", answer.error().message});
  auto body = JsonValue::parse(answer->body);
  if (answer->status != 200 || !body)
    return message(language_, "cli.api_error", {apiError(*answer)});
  const std::string outcome = (*body)["outcome"].asString().value_or("");
  const std::string detail = (*body)["message"].asString().value_or("");
  if (outcome == "ok") {
    return message(language_, "sync.ok",
                   {std::to_string((*body)["pushed"].asInt().value_or(0)),
                    std::to_string((*body)["remaining"].asInt().value_or(0))});
  }
  if (outcome == "not_enrolled") return message(language_, "sync.not_enrolled");
  if (outcome == "unreachable") return message(language_, "sync.unreachable", {detail});
  if (outcome == "refused") return message(language_, "sync.refused", {detail});
  if ((*body)["hub_error"].asString().value_or("") == "volume_exceeded") {
    return message(language_, "sync.volume_exceeded");
  }
  return message(language_, "sync.failed", {detail.empty() ? outcome : detail});
}

Result<std::string> TrayActions::check() {
  const std::string lang = language_ == Language::English ? "en" : "vi";
  auto status = api_.get("/v1/status", kRequestTimeout);
  if (!status) return tl::unexpected(status.error());
  if (status->status != 200) return fail("GET /v1/status: ", apiError(*status));
  auto status_body = JsonValue::parse(status->body);
  if (!status_body) return tl::unexpected(status_body.error().wrap("GET /v1/status"));
  auto list = api_.get("/v1/alerts?unresolved=1&lang=" + lang, kRequestTimeout);
  if (!list) return tl::unexpected(list.error());
  if (list->status != 200) return fail("GET /v1/alerts: ", apiError(*list));
  auto alerts = parseAlertList(list->body);
  if (!alerts) return tl::unexpected(alerts.error());
  TrayState state;
  state.setConnected(true);
  (void)state.replaceAlerts(std::move(*alerts));
  const TraySnapshot snapshot = state.snapshot();
  std::string worst = message(language_, "tray.severity.none");
  for (const auto& alert : snapshot.alerts) {
    if (alert.status == AlertStatus::Open) {
      worst = severityName(alert.severity, language_);  // the list is worst first
      break;
    }
  }
  return message(language_, "tray.check",
                 {(*status_body)["agent_version"].asString().value_or("?"),
                  (*status_body)["host"].asString().value_or("?"),
                  std::to_string(snapshot.open_count), worst, toString(snapshot.colour)});
}

ActionQueue::ActionQueue() : worker_([this] { loop(); }) {}

ActionQueue::~ActionQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

void ActionQueue::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  changed_.notify_all();
}

void ActionQueue::loop() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

void postMenuAction(MenuAction action, std::int64_t alert_id, const TraySnapshot& snapshot,
                    TrayActions& actions, ActionQueue& queue,
                    std::function<void(const std::string&)> notice) {
  switch (action) {
    case MenuAction::Acknowledge:
    case MenuAction::AcknowledgeAll:
      queue.post([&actions, notice, ids = alertsToAcknowledge(snapshot, action, alert_id)] {
        if (auto problem = actions.acknowledge(ids); !problem.empty()) notice(problem);
      });
      return;
    case MenuAction::SyncNow:
      queue.post([&actions, notice] { notice(actions.syncNow()); });
      return;
    case MenuAction::Quit:
    case MenuAction::None:
      return;
  }
}

}  // namespace cks::tray
