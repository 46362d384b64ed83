#include "core/request_rules.h"

#include <algorithm>

#include "core/agency_code.h"
#include "core/text.h"
#include "core/time_format.h"

namespace cks {
namespace {

using Fields = std::vector<std::string_view>;

struct FieldSpec {
  Fields required;
  Fields optional;
};

// The fields of each form. Mẫu 01 asks for the person's data (DOMAIN.md); Mẫu 02 for the
// organisation and its establishment decision; Mẫu 03 for the device and who answers for it.
// A change carries only the new values its Art. 15 case is about.
FieldSpec fieldsOf(const Request& request) {
  switch (request.kind) {
    case RequestKind::NewCertificate:
      switch (request.subscriber) {
        case SubscriberKind::Individual:
          return {{"full_name", "id_number", "position", "email", "phone"}, {"agency", "note"}};
        case SubscriberKind::Organization:
          return {{"name", "establishment_decision", "email"},
                  {"phone", "address", "agency_code", "note"}};
        case SubscriberKind::Device:
          return {{"name", "purpose", "manager", "email"}, {"phone", "note"}};
        case SubscriberKind::Unknown:
          return {};
      }
      return {};
    case RequestKind::ChangeOfInformation:
      if (!request.change_case) return {{}, {"note"}};
      switch (*request.change_case) {
        case ChangeCase::IndividualAgency:
          return {{"agency"}, {"position", "note"}};
        case ChangeCase::IndividualEmail:
          return {{"email"}, {"note"}};
        case ChangeCase::OrganizationName:
          return {{"name"}, {"agency_code", "note"}};
        case ChangeCase::OrganizationAddress:
          return {{"address"}, {"note"}};
        case ChangeCase::DeviceName:
          return {{"name"}, {"note"}};
        case ChangeCase::DeviceUpgrade:
          return {{"description"}, {"name", "note"}};
      }
      return {};
    case RequestKind::Renewal:
    case RequestKind::Revocation:
    case RequestKind::DeviceRecovery:
      return {{}, {"note"}};
  }
  return {};
}

// Whether the spec is known, so that unlisted fields can be called unknown.
bool specKnown(const Request& request) {
  if (request.kind == RequestKind::NewCertificate) {
    return request.subscriber != SubscriberKind::Unknown;
  }
  return request.kind != RequestKind::ChangeOfInformation || request.change_case.has_value();
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

template <typename Value>
std::string joinNames(const std::vector<Value>& values) {
  std::string out;
  for (const Value& value : values) {
    if (!out.empty()) out += ", ";
    out += toString(value);
  }
  return out;
}

std::string join(const std::vector<std::string_view>& names) {
  std::string out;
  for (const std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

MessageArg fieldLabel(std::string_view field) {
  return {"request.field." + std::string(field), true};
}

MessageArg kindLabel(SubscriberKind kind) { return {"kind." + std::string(toString(kind)), true}; }

bool officialDomain(std::string_view email, const std::vector<std::string>& domains) {
  if (domains.empty()) return true;
  const std::string domain = lower(email.substr(email.rfind('@') + 1));
  for (const std::string& allowed : domains) {
    const std::string suffix = lower(allowed);
    if (domain == suffix) return true;
    if (domain.size() > suffix.size() && domain.ends_with(suffix) &&
        domain[domain.size() - suffix.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

void checkValues(const Request& request, const RequestPolicy& policy,
                 std::vector<Refusal>& refusals) {
  for (const auto& [field, raw] : request.fields) {
    const std::string value(trim(raw));
    if (value.empty()) continue;
    const std::vector<MessageArg> named{fieldLabel(field), {field}, {value}};
    if (field == "email") {
      if (!isWellFormedEmail(value)) {
        refusals.push_back({"request.field_invalid_email", named});
      } else if (!officialDomain(value, policy.official_email_domains)) {
        std::vector<std::string_view> domains(policy.official_email_domains.begin(),
                                              policy.official_email_domains.end());
        auto args = named;
        args.push_back({join(domains)});
        refusals.push_back({"request.field_not_official_email", args});
      }
    } else if (field == "phone" && !isVietnamesePhone(value)) {
      refusals.push_back({"request.field_invalid_phone", named});
    } else if (field == "id_number" && !isPersonalIdNumber(value)) {
      refusals.push_back({"request.field_invalid_id_number", named});
    } else if (field == "agency_code" && !AgencyCode::parse(value)) {
      refusals.push_back({"request.field_invalid_agency_code", named});
    }
  }
}

void checkFields(const Request& request, const RequestPolicy& policy,
                 std::vector<Refusal>& refusals) {
  const FieldSpec spec = fieldsOf(request);
  if (specKnown(request)) {
    std::vector<std::string_view> allowed = spec.required;
    allowed.insert(allowed.end(), spec.optional.begin(), spec.optional.end());
    for (const auto& [field, value] : request.fields) {
      if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
        refusals.push_back({"request.field_unknown",
                            {{field},
                             {"request.kind." + std::string(toString(request.kind)), true},
                             {join(allowed)}}});
      }
    }
  }
  for (const std::string_view field : spec.required) {
    const auto it = request.fields.find(std::string(field));
    if (it == request.fields.end() || trim(it->second).empty()) {
      refusals.push_back({"request.field_missing", {fieldLabel(field), {std::string(field)}}});
    }
  }
  checkValues(request, policy, refusals);
}

// "Nguyễn Văn A (3f2a…)" for a certificate the inventory knows: the name people recognise and
// enough of the fingerprint to tell two of theirs apart.
std::string certificateName(const Certificate& certificate) {
  const std::string short_fingerprint = certificate.fingerprint_sha256.substr(0, 16);
  if (certificate.common_name.empty()) return certificate.fingerprint_sha256;
  return certificate.common_name + " (" + short_fingerprint + "…)";
}

// The certificate a renewal, change or revocation is about; nullptr (with the refusal added)
// when none was named or the inventory does not know it.
const Certificate* knownCertificate(const Request& request, const RequestFacts& facts,
                                    std::vector<Refusal>& refusals) {
  if (trim(request.fingerprint_sha256).empty()) {
    refusals.push_back({"request.certificate_missing", {}});
    return nullptr;
  }
  if (!facts.certificate) {
    refusals.push_back({"request.certificate_unknown", {{request.fingerprint_sha256}}});
    return nullptr;
  }
  return &*facts.certificate;
}

// Readable and valid at `now`; false (with the refusal added) otherwise.
bool currentlyValid(const Certificate& certificate, TimePoint now, std::vector<Refusal>& refusals) {
  const std::string name = certificateName(certificate);
  if (!certificate.parsed()) {
    refusals.push_back({"request.certificate_unreadable", {{name}, {certificate.parse_error}}});
    return false;
  }
  if (now < certificate.not_before) {
    refusals.push_back({"request.certificate_not_yet_valid",
                        {{name}, {formatLocalDate(certificate.not_before, vietnamTimeZone())}}});
    return false;
  }
  if (now >= certificate.not_after) {
    refusals.push_back({"request.certificate_expired",
                        {{name}, {formatLocalDate(certificate.not_after, vietnamTimeZone())}}});
    return false;
  }
  return true;
}

}  // namespace

bool renewalAllowed(const RequestPolicy& policy, long days_left, int renewals_done) {
  return days_left >= policy.renewal_min_days_left && renewals_done < policy.max_renewals;
}

namespace {

void checkRenewal(const Request& request, const RequestFacts& facts, const RequestPolicy& policy,
                  TimePoint now, std::vector<Refusal>& refusals) {
  const Certificate* certificate = knownCertificate(request, facts, refusals);
  if (!certificate || !currentlyValid(*certificate, now, refusals)) return;
  const std::string name = certificateName(*certificate);
  const long days_left = certificate->daysLeft(now);
  if (days_left < policy.renewal_min_days_left) {
    refusals.push_back(
        {"request.renewal_too_late",
         {{name}, {std::to_string(days_left)}, {std::to_string(policy.renewal_min_days_left)}}});
  }
  if (facts.renewals_done >= policy.max_renewals) {
    refusals.push_back(
        {"request.renewal_limit",
         {{name}, {std::to_string(facts.renewals_done)}, {std::to_string(policy.max_renewals)}}});
  }
}

void checkChange(const Request& request, const RequestFacts& facts, TimePoint now,
                 std::vector<Refusal>& refusals) {
  if (!request.change_case) {
    refusals.push_back({"request.change_case_missing", {{joinNames(allChangeCases())}}});
  }
  const Certificate* certificate = knownCertificate(request, facts, refusals);
  if (!certificate || !currentlyValid(*certificate, now, refusals)) return;
  if (!request.change_case) return;
  const SubscriberKind wanted = subscriberOf(*request.change_case);
  if (certificate->kind != SubscriberKind::Unknown && certificate->kind != wanted) {
    refusals.push_back(
        {"request.change_case_wrong_kind",
         {{"request.change_case." + std::string(toString(*request.change_case)), true},
          kindLabel(wanted),
          {certificateName(*certificate)},
          kindLabel(certificate->kind)}});
  }
}

void checkRevocation(const Request& request, const RequestFacts& facts,
                     std::vector<Refusal>& refusals) {
  knownCertificate(request, facts, refusals);
  if (!request.revocation_reason) {
    refusals.push_back(
        {"request.revocation_reason_missing", {{joinNames(allRevocationReasons())}}});
  }
}

void checkRecovery(const Request& request, const RequestFacts& facts,
                   std::vector<Refusal>& refusals) {
  if (trim(request.token_serial).empty()) {
    refusals.push_back({"request.token_missing", {}});
    return;
  }
  if (!facts.token) {
    refusals.push_back({"request.token_unknown", {{request.token_serial}}});
    return;
  }
  // Decree 68 Art. 22: recovery is for a device the subscriber can no longer use. A PIN that
  // is merely low on tries is not that yet: one correct entry resets it.
  if (facts.token->pin_state != PinState::Locked && !facts.token_unusable) {
    refusals.push_back(
        {"request.token_not_locked",
         {{request.token_serial}, {"pin." + std::string(toString(facts.token->pin_state)), true}}});
  }
}

}  // namespace

std::vector<Refusal> validateRequest(const Request& request, const RequestFacts& facts,
                                     const RequestPolicy& policy, TimePoint now) {
  std::vector<Refusal> refusals;
  switch (request.kind) {
    case RequestKind::NewCertificate:
      if (request.subscriber == SubscriberKind::Unknown) {
        refusals.push_back({"request.subscriber_missing", {}});
      }
      break;
    case RequestKind::Renewal:
      checkRenewal(request, facts, policy, now, refusals);
      break;
    case RequestKind::ChangeOfInformation:
      checkChange(request, facts, now, refusals);
      break;
    case RequestKind::Revocation:
      checkRevocation(request, facts, refusals);
      break;
    case RequestKind::DeviceRecovery:
      checkRecovery(request, facts, refusals);
      break;
  }
  checkFields(request, policy, refusals);
  return refusals;
}

std::vector<std::string_view> requiredFields(const Request& request) {
  return fieldsOf(request).required;
}

std::vector<std::string_view> optionalFields(const Request& request) {
  return fieldsOf(request).optional;
}

bool isPersonalIdNumber(std::string_view text) {
  return text.size() == 12 && std::all_of(text.begin(), text.end(), isDigit);
}

bool isWellFormedEmail(std::string_view text) {
  const auto at = text.find('@');
  if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return false;
  }
  const bool local_ok = std::all_of(local.begin(), local.end(), [](char c) {
    return isAlpha(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  });
  if (!local_ok || domain.size() > 253) return false;
  int labels = 0;
  std::string_view last_label;
  for (std::string_view rest = domain;;) {
    const auto dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    if (!std::all_of(label.begin(), label.end(),
                     [](char c) { return isAlpha(c) || isDigit(c) || c == '-'; })) {
      return false;
    }
    ++labels;
    last_label = label;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return labels >= 2 && last_label.size() >= 2 &&
         std::all_of(last_label.begin(), last_label.end(), isAlpha);
}

bool isVietnamesePhone(std::string_view text) {
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (isDigit(c)) {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && i == text.find_first_not_of(" ")) {
      if (text.substr(i, 3) != "+84") return false;
      digits.push_back('0');  // +84 stands for the national prefix 0
      i += 2;
    } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  if (digits.size() < 2 || digits[0] != '0') return false;
  // Since 2018: mobiles are 0 + 9 digits starting 3, 5, 7, 8 or 9; landlines 02 + 9 digits.
  if (digits.size() == 10) return std::string_view("35789").find(digits[1]) != std::string::npos;
  return digits.size() == 11 && digits[1] == '2';
}

Result<Delegation> parseDelegation(std::string_view text) {
  text = trim(text);
  const auto space = text.find_first_of(" \t");
  const std::string_view kinds_text = text.substr(0, space);
  std::string_view rest =
      space == std::string_view::npos ? std::string_view() : trim(text.substr(space));
  const auto space2 = rest.find_first_of(" \t");
  const std::string_view period = rest.substr(0, space2);
  const std::string_view decision =
      space2 == std::string_view::npos ? std::string_view() : trim(rest.substr(space2));

  Delegation delegation;
  for (std::string_view list = kinds_text; !list.empty();) {
    const auto comma = list.find(',');
    const std::string_view name = trim(list.substr(0, comma));
    RequestKind kind{};
    if (!parseRequestKind(name, kind)) {
      return fail("delegation: \"", std::string(name), "\": not a request kind (one of ",
                  joinNames(allRequestKinds()), ")");
    }
    delegation.kinds.push_back(kind);
    list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
  }
  if (delegation.kinds.empty()) return fail("delegation: no request kinds before the dates");

  const auto dots = period.find("..");
  if (dots == std::string_view::npos) {
    return fail("delegation: \"", std::string(period),
                "\": expected FROM..UNTIL (YYYY-MM-DD..YYYY-MM-DD, or FROM.. for no end)");
  }
  const auto from = parseDate(period.substr(0, dots));
  if (!from) {
    return fail("delegation: \"", std::string(period.substr(0, dots)),
                "\": not a date (expected YYYY-MM-DD)");
  }
  delegation.from = *from;
  if (const std::string_view until_text = period.substr(dots + 2); !until_text.empty()) {
    const auto until = parseDate(until_text);
    if (!until) {
      return fail("delegation: \"", std::string(until_text),
                  "\": not a date (expected YYYY-MM-DD)");
    }
    if (*until < *from)
      return fail("delegation: \"", std::string(period), "\": ends before it starts");
    delegation.until = *until;
  }
  delegation.decision = std::string(decision);
  return delegation;
}

std::vector<Delegation> defaultDelegations() {
  auto delegation = parseDelegation(
      "renewal,change_of_information,device_recovery 2025-07-01..2030-06-30 "
      "Ủy quyền theo đề nghị của Sở KH&CN (mặc định, hãy ghi quyết định của tỉnh)");
  return delegation ? std::vector<Delegation>{*delegation} : std::vector<Delegation>{};
}

HandledBy route(RequestKind kind, bool usb_token, const std::vector<Delegation>& delegations,
                TimePoint at) {
  if (kind == RequestKind::DeviceRecovery && !usb_token) return HandledBy::Provider;
  const Date day = vietnamDate(at);
  for (const Delegation& delegation : delegations) {
    const bool covers_kind =
        std::find(delegation.kinds.begin(), delegation.kinds.end(), kind) != delegation.kinds.end();
    const bool in_force = delegation.from <= day && (!delegation.until || day <= *delegation.until);
    if (covers_kind && in_force) return HandledBy::Province;
  }
  return HandledBy::Provider;
}

int processingWorkingDays(RequestKind kind, bool usb_token, const RequestPolicy& policy) {
  if (kind == RequestKind::DeviceRecovery && usb_token) return policy.recovery_working_days;
  return policy.processing_working_days;
}

}  // namespace cks
