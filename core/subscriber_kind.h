// Which kind of subscriber a certificate belongs to (Decree 68: individual, organisation,
// device/service/software). The provider's certificates do not say so in one field, so the
// kind is inferred by ordered rules that a province can override in the agent's config.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cks {

enum class SubscriberKind { Individual, Organization, Device, Unknown };

// "individual" | "organization" | "device" | "unknown".
[[nodiscard]] std::string_view toString(SubscriberKind kind);
[[nodiscard]] bool parseSubscriberKind(std::string_view text, SubscriberKind& out);

// The facts the rules look at, taken from a parsed certificate.
struct SubscriberFacts {
  std::string common_name;
  std::string email;
  std::vector<std::string> extended_key_usage;
  std::vector<std::string> policy_oids;
  std::vector<std::string> dns_names;  // dNSName entries of subjectAltName
};

// Rules applied in order; the first that matches decides:
//  1. a certificate policy OID listed for a kind;
//  2. device: a dNSName SAN, serverAuth EKU, or a CN that looks like a host name;
//  3. organisation: the CN starts with one of `organization_name_prefixes`
//     (case-sensitive UTF-8, e.g. "UBND", "SỞ") or is written in capitals with no lowercase letter;
//  4. individual: a CN with lowercase letters (a personal name), or an e-mail and no other match;
//  5. otherwise unknown.
struct SubscriberKindRules {
  std::vector<std::string> individual_policy_oids;
  std::vector<std::string> organization_policy_oids;
  std::vector<std::string> device_policy_oids;
  std::vector<std::string> organization_name_prefixes = {
      "UBND",      "ỦY BAN",    "UỶ BAN",  "HĐND", "SỞ",      "BAN",
      "VĂN PHÒNG", "TRUNG TÂM", "PHÒNG",   "CỤC",  "CHI CỤC", "TRƯỜNG",
      "BỆNH VIỆN", "ĐẢNG ỦY",   "ĐẢNG UỶ", "BỘ",   "TỔNG CỤC"};

  [[nodiscard]] SubscriberKind classify(const SubscriberFacts& facts) const;
};

}  // namespace cks
