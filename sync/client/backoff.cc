#include "sync/client/backoff.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>

#include "core/result.h"

namespace cks::sync {
namespace {

// 53 random bits make every double in [0, 1) with a 2^-53 step equally likely.
double fromBits(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

double clampUnit(double value) { return std::clamp(value, 0.0, std::nextafter(1.0, 0.0)); }

}  // namespace

double SystemRandomSource::uniform() {
  unsigned char bytes[sizeof(std::uint64_t)];
  std::uint64_t bits = 0;
  if (RAND_bytes(bytes, sizeof bytes) == 1) {
    std::memcpy(&bits, bytes, sizeof bits);
  } else {
    std::random_device device;
    bits = (std::uint64_t{device()} << 32) ^ device();
  }
  return fromBits(bits);
}

Backoff::Backoff(RandomSource& random, std::chrono::seconds min, std::chrono::seconds max)
    : random_(random), min_(min), max_(max) {
  CKS_CHECK(min.count() > 0 && min <= max);
}

std::chrono::milliseconds Backoff::next() {
  // min·2^failures, computed without overflow: stop doubling once past max.
  auto ceiling = min_;
  for (int i = 0; i < failures_ && ceiling < max_; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, max_);
  ++failures_;
  const double spread = static_cast<double>((ceiling - min_).count());
  return min_ + std::chrono::milliseconds(
                    static_cast<std::int64_t>(std::llround(clampUnit(random_.uniform()) * spread)));
}

std::chrono::seconds jittered(std::chrono::seconds period, double fraction, RandomSource& random) {
  const double offset = (2.0 * clampUnit(random.uniform()) - 1.0) * std::abs(fraction);
  const auto seconds = std::llround(static_cast<double>(period.count()) * (1.0 + offset));
  return std::chrono::seconds(std::max<long long>(1, seconds));
}

}  // namespace cks::sync
