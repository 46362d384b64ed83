#include "hub/agent_volume.h"

#include <chrono>

namespace cks::hub {
namespace {

std::int64_t utcDay(TimePoint at) {
  return std::chrono::floor<std::chrono::days>(at).time_since_epoch().count();
}

}  // namespace

bool AgentVolume::knows(const std::string& agent_id, TimePoint now) const {
  std::lock_guard lock(mutex_);
  const auto found = agents_.find(agent_id);
  return found != agents_.end() && found->second.day == utcDay(now);
}

void AgentVolume::seed(const std::string& agent_id, std::size_t bytes, TimePoint now) {
  std::lock_guard lock(mutex_);
  Day& day = agents_[agent_id];
  if (day.day != utcDay(now)) day = {utcDay(now), bytes};
}

std::size_t AgentVolume::accepted(const std::string& agent_id, TimePoint now) const {
  std::lock_guard lock(mutex_);
  const auto found = agents_.find(agent_id);
  return found == agents_.end() || found->second.day != utcDay(now) ? 0 : found->second.bytes;
}

bool AgentVolume::fits(const std::string& agent_id, std::size_t bytes, TimePoint now) const {
  const std::size_t today = accepted(agent_id, now);
  return today <= per_day_ && bytes <= per_day_ - today;
}

void AgentVolume::add(const std::string& agent_id, std::size_t bytes, TimePoint now) {
  std::lock_guard lock(mutex_);
  Day& day = agents_[agent_id];
  if (day.day != utcDay(now)) day = {utcDay(now), 0};
  day.bytes += bytes;
}

}  // namespace cks::hub
