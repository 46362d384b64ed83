// Where "now" comes from. Production code gets a SystemClock from main; tests hand in a
// FixedClock so expiry arithmetic is deterministic. Implementations are thread-safe.
#pragma once

#include <atomic>
#include <chrono>

namespace cks {

using TimePoint = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant, UTC, whole seconds.
  [[nodiscard]] virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

// A clock that only moves when told to.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint at) : at_(at.time_since_epoch().count()) {}
  [[nodiscard]] TimePoint now() const override {
    return TimePoint(std::chrono::seconds(at_.load()));
  }
  void set(TimePoint at) { at_ = at.time_since_epoch().count(); }
  void advance(std::chrono::seconds by) { at_ += by.count(); }

 private:
  std::atomic<long long> at_;
};

}  // namespace cks
