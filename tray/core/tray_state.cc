#include "tray/core/tray_state.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "tray/core/utf8_path.h"

namespace cks::tray {
namespace {

constexpr std::string_view kHeader = "cks-tray-state 1";

int rank(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::Critical:
      return 3;
    case AlertSeverity::Warning:
      return 2;
    case AlertSeverity::Info:
      return 1;
  }
  return 0;
}

}  // namespace

std::string_view toString(IconColour colour) {
  switch (colour) {
    case IconColour::Grey:
      return "grey";
    case IconColour::Green:
      return "green";
    case IconColour::Amber:
      return "amber";
    case IconColour::Red:
      return "red";
  }
  return "grey";
}

TrayState::TrayState(std::string state_file) : state_file_(std::move(state_file)) {}

Status TrayState::load() {
  if (state_file_.empty()) return ok();
  std::ifstream in(pathFromUtf8(state_file_), std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(pathFromUtf8(state_file_))) return ok();
    return fail(state_file_, ": cannot read: ", std::strerror(errno));
  }
  std::string line;
  if (!std::getline(in, line) || line != kHeader) {
    return fail(state_file_, ": not a cks-tray state file");
  }
  int number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto space = line.find(' ');
    const std::string key = line.substr(0, space);
    const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "cursor") {
      try {
        cursor_ = std::stoll(value);
      } catch (const std::exception&) {
        return fail(state_file_, ":", std::to_string(number), ": bad cursor");
      }
    } else if (key == "popped" && !value.empty()) {
      if (popped_.insert(value).second) popped_order_.push_back(value);
    } else {
      return fail(state_file_, ":", std::to_string(number), ": unknown line");
    }
  }
  return ok();
}

Status TrayState::save() const {
  if (state_file_.empty()) return ok();
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path path = pathFromUtf8(state_file_);
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  const std::string temporary_name = state_file_ + ".tmp";
  const fs::path temporary = pathFromUtf8(temporary_name);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return fail(temporary_name, ": cannot write: ", std::strerror(errno));
    out << kHeader << "\n";
    if (cursor_) out << "cursor " << *cursor_ << "\n";
    for (const auto& uuid : popped_order_) out << "popped " << uuid << "\n";
    out.flush();
    if (!out) return fail(temporary_name, ": cannot write: ", std::strerror(errno));
  }
  fs::rename(temporary, path, ec);
  if (ec) {
    // Some C runtimes (Windows) do not rename over an existing file.
    fs::remove(path, ec);
    fs::rename(temporary, path, ec);
    if (ec) return fail(state_file_, ": cannot replace: ", ec.message());
  }
  return ok();
}

std::vector<TrayAlert> TrayState::popNew(const std::vector<TrayAlert>& candidates) {
  std::vector<TrayAlert> fresh;
  for (const auto& alert : candidates) {
    if (alert.status != AlertStatus::Open || popped_.count(alert.uuid)) continue;
    popped_.insert(alert.uuid);
    popped_order_.push_back(alert.uuid);
    fresh.push_back(alert);
  }
  while (popped_order_.size() > kMaxRemembered) {
    popped_.erase(popped_order_.front());
    popped_order_.pop_front();
  }
  return fresh;
}

void TrayState::sortAlerts() {
  std::stable_sort(alerts_.begin(), alerts_.end(), [](const TrayAlert& a, const TrayAlert& b) {
    if (rank(a.severity) != rank(b.severity)) return rank(a.severity) > rank(b.severity);
    if (a.raised_at != b.raised_at) return a.raised_at > b.raised_at;  // ISO 8601 sorts as text
    return a.id > b.id;
  });
}

std::vector<TrayAlert> TrayState::replaceAlerts(std::vector<TrayAlert> alerts) {
  alerts_.clear();
  for (auto& alert : alerts) {
    if (alert.status != AlertStatus::Resolved) alerts_.push_back(std::move(alert));
  }
  sortAlerts();
  return popNew(alerts_);
}

void TrayState::upsert(const TrayAlert& alert) {
  const auto same = [&](const TrayAlert& a) { return a.uuid == alert.uuid; };
  alerts_.erase(std::remove_if(alerts_.begin(), alerts_.end(), same), alerts_.end());
  if (alert.status != AlertStatus::Resolved) alerts_.push_back(alert);
}

std::vector<TrayAlert> TrayState::applyEvents(const std::vector<AlertEvent>& events) {
  std::vector<TrayAlert> changed;
  for (const auto& event : events) {
    upsert(event.alert);
    changed.push_back(event.alert);
  }
  sortAlerts();
  return popNew(changed);
}

void TrayState::resetForReplacedStore() {
  cursor_.reset();
  alerts_.clear();
}

void TrayState::setConnected(bool connected, std::string problem) {
  connected_ = connected;
  problem_ = connected ? std::string() : std::move(problem);
}

bool TrayState::wasPoppedUp(const std::string& uuid) const { return popped_.count(uuid) != 0; }

IconColour TrayState::colour() const {
  if (!connected_) return IconColour::Grey;
  int worst = 0;
  for (const auto& alert : alerts_) {
    if (alert.status == AlertStatus::Open) worst = std::max(worst, rank(alert.severity));
  }
  if (worst == 3) return IconColour::Red;
  if (worst > 0) return IconColour::Amber;
  return IconColour::Green;
}

TraySnapshot TrayState::snapshot() const {
  TraySnapshot snapshot;
  snapshot.connected = connected_;
  snapshot.alerts = alerts_;
  snapshot.colour = colour();
  snapshot.problem = problem_;
  snapshot.open_count = int(std::count_if(alerts_.begin(), alerts_.end(), [](const TrayAlert& a) {
    return a.status == AlertStatus::Open;
  }));
  return snapshot;
}

}  // namespace cks::tray
