#include "core/report.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "core/text.h"
#include "core/time_format.h"
#include "core/utf8.h"
#include "core/wire_names.h"

namespace cks {
namespace {

using std::chrono::days;

// The instant year `year` begins in Vietnam.
TimePoint vietnamYearBegins(int year) {
  return vietnamMidnight(Date(std::chrono::year{year} / std::chrono::January / 1));
}

enum class Outcome { Completed, Rejected, Pending, Cancelled };

// Where `entry` stood at `as_of`: a request finished later was still pending then. Drafts were
// never filed.
std::optional<Outcome> outcomeAt(const ReportRequest& entry, TimePoint as_of) {
  const RequestState state = entry.request.state;
  if (state == RequestState::Draft) return std::nullopt;
  if (!isTerminal(state)) return Outcome::Pending;
  if (entry.finished_at && *entry.finished_at > as_of) return Outcome::Pending;
  switch (state) {
    case RequestState::Completed:
      return Outcome::Completed;
    case RequestState::Rejected:
      return Outcome::Rejected;
    default:
      return Outcome::Cancelled;
  }
}

// Working days from the day the province counts a request as received to the day it was done,
// the receipt day not counted (Civil Code 2015 Art. 147, as for deadlines).
int workingDaysToComplete(const WorkingDayCalendar& calendar, TimePoint received_at,
                          TimePoint finished_at) {
  const Date received = calendar.receiptDay(received_at);
  const Date done = vietnamDate(finished_at);
  int count = 0;
  for (Date day = received + days(1); day <= done; day += days(1)) {
    if (calendar.isWorkingDay(day)) ++count;
  }
  return count;
}

CompletionTimes completionTimes(std::vector<int> working_days) {
  CompletionTimes times;
  times.measured = int(working_days.size());
  if (working_days.empty()) return times;
  std::sort(working_days.begin(), working_days.end());
  const size_t middle = working_days.size() / 2;
  times.median_working_days =
      working_days.size() % 2 == 1
          ? double(working_days[middle])
          : (double(working_days[middle - 1]) + double(working_days[middle])) / 2.0;
  times.worst_working_days = working_days.back();
  return times;
}

// Decodes UTF-8 into code points; false for anything that is not well-formed (RFC 3629).
// The words of `name`, lower case, split at spaces; "uỷ" (the old tone placement) as "ủy".
std::vector<std::string> foldedWords(std::string_view name) {
  std::vector<char32_t> code_points;
  if (!decodeUtf8(name, code_points)) return {};
  std::vector<std::string> words;
  std::string word;
  for (const char32_t c : code_points) {
    if (c == U' ' || c == U'\t' || c == 0xA0) {
      if (!word.empty()) words.push_back(std::exchange(word, {}));
      continue;
    }
    appendUtf8(lowerVietnamese(c), word);
  }
  if (!word.empty()) words.push_back(std::move(word));
  for (std::string& w : words) {
    if (w == "uỷ") w = "ủy";
  }
  return words;
}

// Whether `words` begins with `prefix`.
bool startsWith(std::span<const std::string> words,
                std::initializer_list<std::string_view> prefix) {
  return words.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), words.begin());
}

// One counted field the officer enters, and one text field.
struct CountField {
  std::string_view name;
  int OfficerEntries::*member;
};
struct TextField {
  std::string_view name;
  std::string OfficerEntries::*member;
  size_t max_characters;
};

constexpr int kMaxCount = 100000;
constexpr size_t kMaxNote = 1000;
constexpr size_t kMaxRemark = 4000;

constexpr CountField kCountFields[] = {
    {"expected_new.individual", &OfficerEntries::expected_new_individual},
    {"expected_new.organization", &OfficerEntries::expected_new_organization},
    {"expected_new.device", &OfficerEntries::expected_new_device},
    {"expected_revocations", &OfficerEntries::expected_revocations},
    {"tokens_to_replace", &OfficerEntries::tokens_to_replace},
};

constexpr TextField kTextFields[] = {
    {"note.expected_new", &OfficerEntries::expected_new_note, kMaxNote},
    {"note.expected_revocations", &OfficerEntries::expected_revocations_note, kMaxNote},
    {"note.tokens_to_replace", &OfficerEntries::tokens_to_replace_note, kMaxNote},
    {"remarks.difficulties", &OfficerEntries::difficulties, kMaxRemark},
    {"remarks.proposals", &OfficerEntries::proposals, kMaxRemark},
};

// The field's label (a catalogue key) and its name, the first two values of every refusal.
std::vector<MessageArg> fieldArgs(std::string_view field) {
  return {{"report.field." + std::string(field), true}, {std::string(field)}};
}

std::string joinFieldNames() {
  std::string joined;
  for (const std::string_view name : reportFieldNames()) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

constexpr std::array<std::pair<AgencyType, std::string_view>, 3> kAgencyTypes{{
    {AgencyType::Department, "department"},
    {AgencyType::Commune, "commune"},
    {AgencyType::Other, "other"},
}};

size_t typeIndex(AgencyType type) { return size_t(type); }

// The member of `counts` (KindCounts or CertificatesByKind, const or not) for `kind`.
template <typename Counts>
auto& ofKind(Counts& counts, SubscriberKind kind) {
  switch (kind) {
    case SubscriberKind::Individual:
      return counts.individual;
    case SubscriberKind::Organization:
      return counts.organization;
    case SubscriberKind::Device:
      return counts.device;
    case SubscriberKind::Unknown:
      break;
  }
  return counts.unknown;
}

}  // namespace

int& KindCounts::at(SubscriberKind kind) { return ofKind(*this, kind); }
int KindCounts::at(SubscriberKind kind) const { return ofKind(*this, kind); }
CertificateCounts& CertificatesByKind::at(SubscriberKind kind) { return ofKind(*this, kind); }
const CertificateCounts& CertificatesByKind::at(SubscriberKind kind) const {
  return ofKind(*this, kind);
}

CertificateCounts CertificatesByKind::sum() const {
  CertificateCounts all;
  for (const CertificateCounts* counts : {&individual, &organization, &device, &unknown}) {
    all.valid += counts->valid;
    all.expiring += counts->expiring;
    all.expired += counts->expired;
    all.revoked += counts->revoked;
    all.not_yet_valid += counts->not_yet_valid;
    all.unparseable += counts->unparseable;
  }
  return all;
}

int& PinStateCounts::at(PinState state) {
  switch (state) {
    case PinState::Ok:
      return ok;
    case PinState::CountLow:
      return count_low;
    case PinState::FinalTry:
      return final_try;
    case PinState::Locked:
      return locked;
    case PinState::Unknown:
      break;
  }
  return unknown;
}

int ReportPlan::renewalsDue() const {
  int due = 0;
  for (const KindCounts& month : renewals_by_month) due += month.total();
  return due;
}

ReportTotals& ReportTotals::operator+=(const ReportTotals& other) {
  certificates_valid += other.certificates_valid;
  certificates_expiring += other.certificates_expiring;
  certificates_expired += other.certificates_expired;
  certificates_revoked += other.certificates_revoked;
  tokens += other.tokens;
  tokens_locked += other.tokens_locked;
  tokens_not_seen += other.tokens_not_seen;
  tokens_lost_or_damaged += other.tokens_lost_or_damaged;
  requests_filed += other.requests_filed;
  requests_completed += other.requests_completed;
  requests_pending += other.requests_pending;
  renewals_due_next_year += other.renewals_due_next_year;
  revocation_candidates += other.revocation_candidates;
  expected_new_certificates += other.expected_new_certificates;
  expected_revocations += other.expected_revocations;
  tokens_to_replace += other.tokens_to_replace;
  return *this;
}

ReportTotals totalsOf(const YearlyReport& report) {
  ReportTotals totals;
  const CertificateCounts all = report.inventory.certificates.sum();
  totals.certificates_valid = all.valid + all.expiring;
  totals.certificates_expiring = all.expiring;
  totals.certificates_expired = all.expired;
  totals.certificates_revoked = all.revoked;
  totals.tokens = report.inventory.tokens.total();
  totals.tokens_locked = report.inventory.tokens.locked;
  totals.tokens_not_seen = int(report.inventory.tokens_not_seen.size());
  totals.tokens_lost_or_damaged = report.inventory.tokens_lost + report.inventory.tokens_damaged;
  for (const auto& [kind, activity] : report.activity.by_kind) {
    totals.requests_filed += activity.outcomes.total();
    totals.requests_completed += activity.outcomes.completed;
    totals.requests_pending += activity.outcomes.pending;
  }
  totals.renewals_due_next_year = report.plan.renewalsDue();
  totals.revocation_candidates = int(report.plan.revocation_candidates.size());
  const OfficerEntries& officer = report.officer;
  totals.expected_new_certificates = officer.expected_new_individual +
                                     officer.expected_new_organization +
                                     officer.expected_new_device;
  totals.expected_revocations = officer.expected_revocations;
  totals.tokens_to_replace = officer.tokens_to_replace;
  return totals;
}

YearlyReport draftReport(const ReportInputs& in) {
  YearlyReport report;
  report.agency_code = in.agency_code;
  report.agency_name = in.agency_name;
  report.year = in.year;
  report.as_of = in.as_of;
  report.expiring_within_days = in.expiring_within_days;
  report.not_seen_days = in.not_seen_days;
  report.officer = in.officer;

  const TimePoint year_begins = vietnamYearBegins(in.year);
  const TimePoint year_ends = vietnamYearBegins(in.year + 1);
  const auto filed_in_year = [&](const Request& request) {
    return request.created_at >= year_begins && request.created_at < year_ends &&
           request.created_at <= in.as_of;
  };

  // Revocations, whatever the year they were filed in: done ones make a certificate revoked,
  // open ones keep it off the candidate list (it is already being revoked).
  std::set<std::string> revoked;
  std::set<std::string> revocation_under_way;
  for (const ReportRequest& entry : in.requests) {
    const Request& request = entry.request;
    if (request.kind != RequestKind::Revocation || request.fingerprint_sha256.empty()) continue;
    if (request.created_at > in.as_of) continue;
    const auto outcome = outcomeAt(entry, in.as_of);
    if (outcome == Outcome::Completed) revoked.insert(request.fingerprint_sha256);
    if (outcome == Outcome::Pending) revocation_under_way.insert(request.fingerprint_sha256);
  }

  // Tokens.
  std::unordered_map<std::string, const InventoryToken*> token_by_serial;
  for (const InventoryToken& token : in.tokens) {
    if (token.first_seen > in.as_of) continue;
    token_by_serial.emplace(token.token.serial, &token);
    ++report.inventory.tokens.at(token.token.pin_state);
    if (token.last_seen < year_begins || token.first_seen >= year_ends) {
      report.inventory.tokens_not_seen.push_back(token.token.serial);
    }
  }
  std::sort(report.inventory.tokens_not_seen.begin(), report.inventory.tokens_not_seen.end());

  // Certificates: status, renewals due next year, revocation candidates.
  std::unordered_map<std::string, std::string> token_of_certificate;
  std::set<std::string> counted;
  const TimePoint unseen_since = in.as_of - days(in.not_seen_days);
  for (const InventoryCertificate& held : in.certificates) {
    const Certificate& certificate = held.certificate;
    token_of_certificate.emplace(certificate.fingerprint_sha256, held.token_serial);
    if (certificate.is_ca || held.first_seen > in.as_of) continue;
    if (!counted.insert(certificate.fingerprint_sha256).second) continue;

    const bool is_revoked = revoked.contains(certificate.fingerprint_sha256);
    const CertificateStatus status = certificate.statusAt(in.as_of, in.expiring_within_days);
    CertificateCounts& counts = report.inventory.certificates.at(certificate.kind);
    if (is_revoked) {
      ++counts.revoked;
    } else {
      switch (status) {
        case CertificateStatus::Valid:
          ++counts.valid;
          break;
        case CertificateStatus::Expiring:
          ++counts.expiring;
          break;
        case CertificateStatus::Expired:
          ++counts.expired;
          break;
        case CertificateStatus::NotYetValid:
          ++counts.not_yet_valid;
          break;
        case CertificateStatus::Unparseable:
          ++counts.unparseable;
          break;
      }
    }
    if (is_revoked || !certificate.parsed()) continue;

    const std::chrono::year_month_day due{vietnamDate(certificate.not_after)};
    if (int(due.year()) == in.year + 1) {
      ++report.plan.renewals_by_month[unsigned(due.month()) - 1].at(certificate.kind);
    }

    if (revocation_under_way.contains(certificate.fingerprint_sha256)) continue;
    if (status != CertificateStatus::Valid && status != CertificateStatus::Expiring) continue;
    TimePoint last_seen = held.last_seen;
    if (const auto it = token_by_serial.find(held.token_serial); it != token_by_serial.end()) {
      last_seen = it->second->last_seen;
    }
    if (last_seen <= unseen_since) {
      report.plan.revocation_candidates.push_back({certificate.fingerprint_sha256,
                                                   certificate.common_name, certificate.kind,
                                                   held.token_serial, last_seen});
    }
  }
  std::sort(report.plan.revocation_candidates.begin(), report.plan.revocation_candidates.end(),
            [](const RevocationCandidate& a, const RevocationCandidate& b) {
              return std::tie(a.token_serial, a.fingerprint_sha256) <
                     std::tie(b.token_serial, b.fingerprint_sha256);
            });

  // Activity during the year, and tokens reported lost or damaged in it.
  std::set<std::string> lost;
  std::set<std::string> damaged;
  std::map<RequestKind, std::vector<int>> durations;
  std::vector<int> all_durations;
  for (const RequestKind kind : allRequestKinds()) report.activity.by_kind[kind] = {};
  for (const ReportRequest& entry : in.requests) {
    const Request& request = entry.request;
    if (!filed_in_year(request)) continue;
    const auto outcome = outcomeAt(entry, in.as_of);
    if (!outcome) continue;
    RequestOutcomes& outcomes = report.activity.by_kind[request.kind].outcomes;
    switch (*outcome) {
      case Outcome::Completed:
        ++outcomes.completed;
        if (entry.finished_at) {
          const int working_days = workingDaysToComplete(
              in.calendar, request.received_at.value_or(request.created_at), *entry.finished_at);
          durations[request.kind].push_back(working_days);
          all_durations.push_back(working_days);
        }
        break;
      case Outcome::Rejected:
        ++outcomes.rejected;
        break;
      case Outcome::Pending:
        ++outcomes.pending;
        break;
      case Outcome::Cancelled:
        ++outcomes.cancelled;
        break;
    }

    const bool stands = *outcome == Outcome::Completed || *outcome == Outcome::Pending;
    if (request.kind == RequestKind::Revocation && stands && request.revocation_reason &&
        (*request.revocation_reason == RevocationReason::DeviceLost ||
         *request.revocation_reason == RevocationReason::DeviceDamaged)) {
      std::string token = request.token_serial;
      if (token.empty()) {
        const auto it = token_of_certificate.find(request.fingerprint_sha256);
        if (it != token_of_certificate.end()) token = it->second;
      }
      // A certificate whose token is unknown stands for a token of its own.
      if (token.empty()) token = "certificate:" + request.fingerprint_sha256;
      (*request.revocation_reason == RevocationReason::DeviceLost ? lost : damaged).insert(token);
    }
  }
  report.inventory.tokens_lost = int(lost.size());
  report.inventory.tokens_damaged = int(damaged.size());
  for (auto& [kind, activity] : report.activity.by_kind) {
    activity.time_to_complete = completionTimes(durations[kind]);
  }
  report.activity.time_to_complete = completionTimes(std::move(all_durations));
  return report;
}

std::vector<std::string_view> reportFieldNames() {
  std::vector<std::string_view> names;
  for (const CountField& field : kCountFields) names.push_back(field.name);
  for (const TextField& field : kTextFields) names.push_back(field.name);
  return names;
}

std::optional<Refusal> setReportField(OfficerEntries& entries, std::string_view field,
                                      std::string_view value) {
  for (const CountField& spec : kCountFields) {
    if (spec.name != field) continue;
    const std::string_view digits = trim(value);
    int count = -1;
    const bool all_digits =
        !digits.empty() && digits.size() <= 6 &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (all_digits) {
      std::from_chars(digits.data(), digits.data() + digits.size(), count);
    }
    if (count < 0 || count > kMaxCount) {
      auto args = fieldArgs(field);
      args.push_back({std::string(value)});
      args.push_back({std::to_string(kMaxCount)});
      return Refusal{"report.field_not_count", std::move(args)};
    }
    entries.*spec.member = count;
    return std::nullopt;
  }
  for (const TextField& spec : kTextFields) {
    if (spec.name != field) continue;
    std::vector<char32_t> code_points;
    if (!decodeUtf8(value, code_points)) return Refusal{"report.field_not_text", fieldArgs(field)};
    const std::string_view text = trim(value);
    // Characters, not bytes: every byte but a UTF-8 continuation byte starts one.
    const auto characters = size_t(std::count_if(
        text.begin(), text.end(), [](char c) { return (std::uint8_t(c) & 0xC0) != 0x80; }));
    if (characters > spec.max_characters) {
      auto args = fieldArgs(field);
      args.push_back({std::to_string(characters)});
      args.push_back({std::to_string(spec.max_characters)});
      return Refusal{"report.field_too_long", std::move(args)};
    }
    entries.*spec.member = std::string(text);
    return std::nullopt;
  }
  return Refusal{"report.field_unknown", {{std::string(field)}, {joinFieldNames()}}};
}

std::optional<Refusal> applyReportAssignment(OfficerEntries& entries, std::string_view assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string_view::npos || trim(assignment.substr(0, equals)).empty()) {
    return Refusal{"report.assignment_malformed", {{std::string(assignment)}}};
  }
  return setReportField(entries, trim(assignment.substr(0, equals)), assignment.substr(equals + 1));
}

std::string_view toString(AgencyType type) { return wire::nameOf(kAgencyTypes, type); }

bool parseAgencyType(std::string_view text, AgencyType& out) {
  return wire::valueOf(kAgencyTypes, text, out);
}

AgencyType guessAgencyType(std::string_view agency_name) {
  const std::vector<std::string> words = foldedWords(agency_name);
  size_t committee = 0;  // how many words name a People's Committee
  if (startsWith(words, {"ubnd"})) committee = 1;
  if (startsWith(words, {"ủy", "ban", "nhân", "dân"})) committee = 4;
  if (committee > 0) {
    const std::span<const std::string> rest = std::span(words).subspan(committee);
    // The unit's own name must follow: "UBND xã" alone names no commune.
    if (rest.size() >= 2 && (rest[0] == "xã" || rest[0] == "phường")) return AgencyType::Commune;
    if (rest.size() >= 3 && startsWith(rest, {"đặc", "khu"})) return AgencyType::Commune;
  }
  if (startsWith(words, {"sở"}) || startsWith(words, {"ban"}) ||
      startsWith(words, {"văn", "phòng"})) {
    return AgencyType::Department;
  }
  return AgencyType::Other;
}

ReportFigures figuresOf(const YearlyReport& report) {
  const OfficerEntries& officer = report.officer;
  return {report.agency_code,
          report.agency_name,
          report.year,
          report.as_of,
          totalsOf(report),
          report.plan.renewals_by_month,
          {officer.expected_new_individual, officer.expected_new_organization,
           officer.expected_new_device, 0},
          officer.difficulties,
          officer.proposals};
}

ProvinceReport aggregateReports(int year, std::span<const ExpectedAgency> expected,
                                std::span<const SubmittedReport> submitted, TimePoint now) {
  std::vector<SubmittedFigures> figures;
  for (const SubmittedReport& report : submitted) {
    if (report.report.year != year) continue;
    figures.push_back({figuresOf(report.report), report.version, report.submitted_at});
  }
  return aggregateFigures(year, expected, figures, now);
}

ProvinceReport aggregateFigures(int year, std::span<const ExpectedAgency> expected,
                                std::span<const SubmittedFigures> submitted, TimePoint now) {
  ProvinceReport province;
  province.year = year;
  province.generated_at = now;
  for (const auto& [type, name] : kAgencyTypes) province.by_type[typeIndex(type)].type = type;

  std::map<std::string, ExpectedAgency> directory;
  for (const ExpectedAgency& agency : expected) {
    ExpectedAgency typed = agency;
    if (!typed.type) typed.type = guessAgencyType(agency.name);
    directory.emplace(agency.code, std::move(typed));
  }
  province.agencies_expected = int(directory.size());

  std::map<std::string, const SubmittedFigures*> latest;
  for (const SubmittedFigures& candidate : submitted) {
    if (candidate.figures.year != year) continue;
    const SubmittedFigures*& slot = latest[candidate.figures.agency_code];
    if (slot == nullptr || candidate.version > slot->version) slot = &candidate;
  }

  for (const auto& [code, entry] : latest) {
    const ReportFigures& report = entry->figures;
    AgencyReportLine line;
    line.agency_code = code;
    line.agency_name = report.agency_name;
    const auto listed = directory.find(code);
    line.expected = listed != directory.end();
    if (line.expected) {
      line.type = *listed->second.type;
      if (!listed->second.name.empty()) line.agency_name = listed->second.name;
    } else {
      line.type = guessAgencyType(report.agency_name);
    }
    line.version = entry->version;
    line.as_of = report.as_of;
    line.submitted_at = entry->submitted_at;
    line.staleness_days = std::max(0L, daysBetween(report.as_of, now));
    line.totals = report.totals;
    line.difficulties = report.difficulties;
    line.proposals = report.proposals;

    AgencyTypeLine& by_type = province.by_type[typeIndex(line.type)];
    province.totals += line.totals;
    by_type.totals += line.totals;
    if (line.expected) {
      ++province.agencies_reported;
      ++by_type.agencies_reported;
    } else {
      ++by_type.agencies_unlisted;
      province.unlisted.push_back(code);
    }

    ProvincePlan& plan = province.plan;
    for (size_t month = 0; month < plan.renewals_by_month.size(); ++month) {
      const KindCounts& due = report.renewals_by_month[month];
      KindCounts& sum = plan.renewals_by_month[month];
      sum.individual += due.individual;
      sum.organization += due.organization;
      sum.device += due.device;
      sum.unknown += due.unknown;
    }
    plan.expected_new.individual += report.expected_new.individual;
    plan.expected_new.organization += report.expected_new.organization;
    plan.expected_new.device += report.expected_new.device;
    plan.expected_revocations += report.totals.expected_revocations;
    plan.tokens_to_replace += report.totals.tokens_to_replace;
    plan.revocation_candidates += report.totals.revocation_candidates;

    province.by_agency.push_back(std::move(line));
  }

  for (const auto& [code, agency] : directory) {
    ++province.by_type[typeIndex(*agency.type)].agencies_expected;
    if (!latest.contains(code)) province.missing.push_back(agency);
  }
  return province;
}

}  // namespace cks
