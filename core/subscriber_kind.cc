#include "core/subscriber_kind.h"

#include <algorithm>
#include <cstddef>

namespace cks {
namespace {

constexpr std::string_view kServerAuthName = "serverAuth";
constexpr std::string_view kServerAuthOid = "1.3.6.1.5.5.7.3.1";

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the UTF-8 sequence at `pos` and advances past it. A malformed byte decodes as U+FFFD
// and is skipped alone, so any input is walked to its end.
char32_t nextCodePoint(std::string_view text, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos++]);
  if (lead < 0x80) return lead;
  std::size_t extra = 0;
  char32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    extra = 1, cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    extra = 2, cp = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    extra = 3, cp = lead & 0x07;
  } else {
    return kReplacement;
  }
  if (text.size() - pos < extra) return kReplacement;
  for (std::size_t i = 0; i < extra; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) return kReplacement;
    cp = (cp << 6) | (next & 0x3F);
  }
  pos += extra;
  return cp;
}

// The Latin letters Vietnamese (and its neighbours in Latin-1 / Latin Extended) are written with.
bool isLetter(char32_t cp) {
  if ((cp >= U'A' && cp <= U'Z') || (cp >= U'a' && cp <= U'z')) return true;
  if (cp >= 0xC0 && cp <= 0x24F) return cp != 0xD7 && cp != 0xF7;
  return cp >= 0x1E00 && cp <= 0x1EFF;
}

// Lowercase in the ranges Vietnamese uses. In Latin Extended-A and Latin Extended Additional
// (where ạ ấ ầ ... ỹ live) upper and lower case alternate, lowercase on the odd code point;
// ơ and ư sit apart in Latin Extended-B.
bool isLowercase(char32_t cp) {
  if (cp >= U'a' && cp <= U'z') return true;
  if (cp >= 0xDF && cp <= 0xFF) return cp != 0xF7;
  if (cp >= 0x100 && cp <= 0x17F) return cp % 2 == 1;
  if (cp == 0x1A1 || cp == 0x1B0) return true;
  if (cp >= 0x1EA0 && cp <= 0x1EF9) return cp % 2 == 1;
  return false;
}

bool hasLowercase(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    if (isLowercase(nextCodePoint(text, pos))) return true;
  }
  return false;
}

// At least one letter and none of them lowercase: "UBND XÃ BÌNH CHƯƠNG", not "123".
bool isInCapitals(std::string_view text) {
  bool any_letter = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t cp = nextCodePoint(text, pos);
    if (isLowercase(cp)) return false;
    any_letter = any_letter || isLetter(cp);
  }
  return any_letter;
}

bool looksLikeHostName(std::string_view text) {
  if (text.find('.') == std::string_view::npos) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-';
  });
}

// The prefix must end at a word boundary, so "BAN" matches "BAN QUẢN LÝ" but not "BANH VĂN A".
bool startsWithWord(std::string_view text, std::string_view prefix) {
  if (prefix.empty() || !text.starts_with(prefix)) return false;
  if (text.size() == prefix.size()) return true;
  const auto next = static_cast<unsigned char>(text[prefix.size()]);
  const bool ascii_alnum =
      (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9');
  return next < 0x80 && !ascii_alnum;
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::string_view toString(SubscriberKind kind) {
  switch (kind) {
    case SubscriberKind::Individual:
      return "individual";
    case SubscriberKind::Organization:
      return "organization";
    case SubscriberKind::Device:
      return "device";
    case SubscriberKind::Unknown:
      break;
  }
  return "unknown";
}

bool parseSubscriberKind(std::string_view text, SubscriberKind& out) {
  for (SubscriberKind kind : {SubscriberKind::Individual, SubscriberKind::Organization,
                              SubscriberKind::Device, SubscriberKind::Unknown}) {
    if (text == toString(kind)) {
      out = kind;
      return true;
    }
  }
  return false;
}

SubscriberKind SubscriberKindRules::classify(const SubscriberFacts& facts) const {
  // 1. The certificate's own policy OIDs, in the order the certificate lists them.
  for (const std::string& oid : facts.policy_oids) {
    if (contains(device_policy_oids, oid)) return SubscriberKind::Device;
    if (contains(organization_policy_oids, oid)) return SubscriberKind::Organization;
    if (contains(individual_policy_oids, oid)) return SubscriberKind::Individual;
  }

  // 2. Device, service or software.
  const std::string& cn = facts.common_name;
  if (!facts.dns_names.empty() || contains(facts.extended_key_usage, kServerAuthName) ||
      contains(facts.extended_key_usage, kServerAuthOid) || looksLikeHostName(cn)) {
    return SubscriberKind::Device;
  }

  // 3. Organisation: named like a state body, or written in capitals.
  for (const std::string& prefix : organization_name_prefixes) {
    if (startsWithWord(cn, prefix)) return SubscriberKind::Organization;
  }
  if (isInCapitals(cn)) return SubscriberKind::Organization;

  // 4. Individual: a personal name, or just an official e-mail.
  if (hasLowercase(cn) || !facts.email.empty()) return SubscriberKind::Individual;

  return SubscriberKind::Unknown;
}

}  // namespace cks
