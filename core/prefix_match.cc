#include "core/prefix_match.h"

#include <algorithm>
#include <set>

namespace cks {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }
bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// `key` among `candidates`: exact, else the unique one it begins.
PrefixMatch match(const std::string& key, const std::vector<std::string>& candidates,
                  bool (*same)(const std::string& candidate, const std::string& key),
                  bool (*begins)(const std::string& candidate, const std::string& key)) {
  PrefixMatch result;
  std::set<std::string> hits;
  for (const auto& candidate : candidates) {
    if (same(candidate, key)) {
      result.outcome = PrefixMatch::Outcome::Found;
      result.found = candidate;
      return result;
    }
    if (begins(candidate, key)) hits.insert(candidate);
  }
  if (hits.size() == 1) {
    result.outcome = PrefixMatch::Outcome::Found;
    result.found = *hits.begin();
  } else if (hits.size() > 1) {
    result.outcome = PrefixMatch::Outcome::Ambiguous;
    result.candidates.assign(hits.begin(), hits.end());
  }
  return result;
}

std::string lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

}  // namespace

std::optional<std::string> normalizeFingerprint(std::string_view typed) {
  std::string hex;
  hex.reserve(typed.size());
  for (const char c : typed) {
    if (c == ':') continue;
    const char l = lower(c);
    if (!isHex(l)) return std::nullopt;
    hex += l;
  }
  return hex;
}

PrefixMatch matchFingerprint(std::string_view typed, const std::vector<std::string>& fingerprints) {
  const auto key = normalizeFingerprint(typed);
  if (!key || key->size() < kShortestPrefix) return {PrefixMatch::Outcome::Malformed, {}, {}};
  return match(
      *key, fingerprints, [](const std::string& c, const std::string& k) { return c == k; },
      [](const std::string& c, const std::string& k) { return c.rfind(k, 0) == 0; });
}

PrefixMatch matchRequestId(std::string_view typed, const std::vector<std::string>& ids) {
  const std::string key = lowered(typed);
  const bool well_formed =
      key.size() >= kShortestPrefix &&
      std::all_of(key.begin(), key.end(), [](char c) { return isHex(c) || c == '-'; });
  if (!well_formed) return {PrefixMatch::Outcome::Malformed, {}, {}};
  return match(
      key, ids, [](const std::string& c, const std::string& k) { return lowered(c) == k; },
      [](const std::string& c, const std::string& k) { return lowered(c).rfind(k, 0) == 0; });
}

}  // namespace cks
