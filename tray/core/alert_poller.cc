#include "tray/core/alert_poller.h"

#include <algorithm>

namespace cks::tray {

AlertPoller::AlertPoller(LocalApiConnection& api, TrayState& state, TrayView& view,
                         PollerOptions options)
    : api_(api), state_(state), view_(view), options_(std::move(options)) {}

std::chrono::milliseconds AlertPoller::step() { return in_step_ ? poll() : connect(); }

void AlertPoller::run(StopSignal& stop) {
  stop_ = &stop;
  while (!stop.stopping()) {
    const auto pause = step();
    if (pause.count() > 0 && !stop.waitFor(pause)) break;
  }
}

std::chrono::milliseconds AlertPoller::lost(const std::string& why) {
  in_step_ = false;
  if (stop_ && stop_->stopping()) return options_.first_retry;  // cancelled by the quit itself
  if (state_.connected() || !loss_reported_) {  // say it once per outage, not every retry
    view_.log("cks-agent not reachable: " + why);
    state_.setConnected(false, why);
    view_.showState(state_.snapshot());
    loss_reported_ = true;
  }
  retry_ =
      retry_.count() == 0 ? options_.first_retry : std::min(retry_ * 2, options_.longest_retry);
  return retry_;
}

void AlertPoller::saveState() {
  if (auto saved = state_.save(); !saved) view_.log(saved.error().message);
}

void AlertPoller::publish(const std::vector<TrayAlert>& pop_ups) {
  if (!pop_ups.empty()) saveState();  // remembered before shown: never twice, even on a crash
  view_.showState(state_.snapshot());
  for (const auto& alert : pop_ups) view_.popUp(alert);
}

std::chrono::milliseconds AlertPoller::connect() {
  const std::string lang = "lang=" + options_.language;
  // The cursor first, then the list: an alert raised in between shows up in both, and
  // TrayState pops it once.
  auto events = api_.get("/v1/events?" + lang, options_.request_timeout);
  if (!events) return lost(events.error().message);
  if (events->status != 200) {
    return lost("GET /v1/events answered " + std::to_string(events->status) + " " + events->body);
  }
  auto batch = parseEventBatch(events->body);
  if (!batch) return lost(batch.error().message);
  if (state_.cursor() && batch->cursor < *state_.cursor()) {
    view_.log("the agent's event cursor went back from " + std::to_string(*state_.cursor()) +
              " to " + std::to_string(batch->cursor) + ": its store was replaced");
    state_.resetForReplacedStore();
  }
  auto list = api_.get("/v1/alerts?unresolved=1&" + lang, options_.request_timeout);
  if (!list) return lost(list.error().message);
  if (list->status != 200) {
    return lost("GET /v1/alerts answered " + std::to_string(list->status) + " " + list->body);
  }
  auto alerts = parseAlertList(list->body);
  if (!alerts) return lost(alerts.error().message);

  const bool cursor_changed = state_.cursor() != batch->cursor;
  state_.setCursor(batch->cursor);
  auto pop_ups = state_.replaceAlerts(std::move(*alerts));
  if (!state_.connected()) {
    view_.log(std::string(ever_connected_ ? "reconnected" : "connected") +
              " to cks-agent: " + std::to_string(state_.snapshot().open_count) + " open alert(s)");
  }
  state_.setConnected(true);
  ever_connected_ = true;
  loss_reported_ = false;
  in_step_ = true;
  retry_ = std::chrono::milliseconds(0);
  if (cursor_changed && pop_ups.empty()) saveState();
  publish(pop_ups);
  return std::chrono::milliseconds(0);
}

std::chrono::milliseconds AlertPoller::poll() {
  const std::int64_t cursor = state_.cursor().value_or(0);
  auto answer = api_.get("/v1/events?after=" + std::to_string(cursor) +
                             "&wait=" + std::to_string(options_.long_poll.count()) +
                             "&lang=" + options_.language,
                         options_.long_poll + options_.request_timeout);
  if (!answer) return lost(answer.error().message);
  if (answer->status != 200) {
    return lost("GET /v1/events answered " + std::to_string(answer->status) + " " + answer->body);
  }
  auto batch = parseEventBatch(answer->body);
  if (!batch) return lost(batch.error().message);
  if (batch->cursor < cursor) {
    view_.log("the agent's event cursor went back from " + std::to_string(cursor) + " to " +
              std::to_string(batch->cursor) + ": its store was replaced");
    state_.resetForReplacedStore();
    in_step_ = false;  // re-read the whole list at once
    return std::chrono::milliseconds(0);
  }
  if (batch->events.empty() && batch->cursor == cursor) return std::chrono::milliseconds(0);
  auto pop_ups = state_.applyEvents(batch->events);
  state_.setCursor(batch->cursor);
  if (pop_ups.empty()) saveState();  // the cursor moved
  publish(pop_ups);
  return std::chrono::milliseconds(0);
}

}  // namespace cks::tray
