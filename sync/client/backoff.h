// When to try the hub again: exponential backoff with full jitter after failures, and a
// jittered period between routine syncs, so a thousand agents that lost the hub at the same
// moment do not all come back at the same second. Randomness comes in through RandomSource.
// Backoff is not thread-safe; SystemRandomSource is.
#pragma once

#include <chrono>

namespace cks::sync {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // A number uniformly distributed in [0, 1).
  [[nodiscard]] virtual double uniform() = 0;
};

// OpenSSL's RAND_bytes (std::random_device if that ever fails).
class SystemRandomSource final : public RandomSource {
 public:
  [[nodiscard]] double uniform() override;
};

class Backoff {
 public:
  // `random` must outlive the Backoff. min must be positive and no larger than max.
  explicit Backoff(RandomSource& random, std::chrono::seconds min = std::chrono::seconds(2),
                   std::chrono::seconds max = std::chrono::hours(1));

  // The wait after one more failure. The window's ceiling doubles with each failure, from
  // `min` up to `max`; the wait is drawn uniformly from [min, ceiling] ("full jitter" above a
  // floor, so a retry never hammers the hub at once).
  [[nodiscard]] std::chrono::milliseconds next();
  // A success: the next failure starts again from `min`.
  void reset() { failures_ = 0; }
  [[nodiscard]] int failures() const { return failures_; }

 private:
  RandomSource& random_;
  std::chrono::milliseconds min_;
  std::chrono::milliseconds max_;
  int failures_ = 0;
};

// The routine sync period and its jitter (docs/sync-client.md).
inline constexpr std::chrono::seconds kSyncPeriod{300};
inline constexpr double kSyncPeriodJitter = 0.1;

// `period` moved by up to ±fraction of itself, uniformly; at least 1 s.
[[nodiscard]] std::chrono::seconds jittered(std::chrono::seconds period, double fraction,
                                            RandomSource& random);

}  // namespace cks::sync
