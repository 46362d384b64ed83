// The bytes of pushes the hub accepted from each agent today (UTC), against `[server]
// agent_daily_volume`: one compromised PC cannot fill the hub's disk (issue 15, finding 9). Kept
// in memory; the first push of an agent that the hub sees on a day starts from what the store
// holds of that day (seed()), so a restart does not give the agent a new day. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"

namespace cks::hub {

class AgentVolume {
 public:
  explicit AgentVolume(std::size_t per_day) : per_day_(per_day) {}

  [[nodiscard]] std::size_t perDay() const { return per_day_; }
  // True when the day of `now` of `agent_id` has been counted or seeded.
  [[nodiscard]] bool knows(const std::string& agent_id, TimePoint now) const;
  // Starts the day of `now` of `agent_id` at `bytes` (what the store holds of it), unless it
  // has been counted meanwhile.
  void seed(const std::string& agent_id, std::size_t bytes, TimePoint now);
  // What `agent_id` had accepted on the UTC day of `now`.
  [[nodiscard]] std::size_t accepted(const std::string& agent_id, TimePoint now) const;
  // True when `bytes` more fit in the day's volume of `agent_id`.
  [[nodiscard]] bool fits(const std::string& agent_id, std::size_t bytes, TimePoint now) const;
  // Counts `bytes` accepted from `agent_id` at `now`.
  void add(const std::string& agent_id, std::size_t bytes, TimePoint now);

 private:
  struct Day {
    std::int64_t day = 0;  // days since 1970-01-01, UTC
    std::size_t bytes = 0;
  };

  const std::size_t per_day_;
  mutable std::mutex mutex_;
  std::map<std::string, Day> agents_;
};

}  // namespace cks::hub
