#include "sync/protocol/report_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>
#include <typeinfo>
#include <utility>

#include "core/time_format.h"

namespace cks::sync {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Each group of counts is one table of {JSON name, member}, read and written alike so that the
// two directions cannot drift apart.
template <typename Counts>
using CountTable = std::initializer_list<std::pair<std::string_view, int Counts::*>>;

const CountTable<ReportTotals> kTotals = {
    {"certificates_valid", &ReportTotals::certificates_valid},
    {"certificates_expiring", &ReportTotals::certificates_expiring},
    {"certificates_expired", &ReportTotals::certificates_expired},
    {"certificates_revoked", &ReportTotals::certificates_revoked},
    {"tokens", &ReportTotals::tokens},
    {"tokens_locked", &ReportTotals::tokens_locked},
    {"tokens_not_seen", &ReportTotals::tokens_not_seen},
    {"tokens_lost_or_damaged", &ReportTotals::tokens_lost_or_damaged},
    {"requests_filed", &ReportTotals::requests_filed},
    {"requests_completed", &ReportTotals::requests_completed},
    {"requests_pending", &ReportTotals::requests_pending},
    {"renewals_due_next_year", &ReportTotals::renewals_due_next_year},
    {"revocation_candidates", &ReportTotals::revocation_candidates},
    {"expected_new_certificates", &ReportTotals::expected_new_certificates},
    {"expected_revocations", &ReportTotals::expected_revocations},
    {"tokens_to_replace", &ReportTotals::tokens_to_replace},
};

// The figures the interface contract asks for on each agency's line, flat beside `totals`.
const CountTable<ReportTotals> kContractTotals = {
    {"certificates_valid", &ReportTotals::certificates_valid},
    {"certificates_expired", &ReportTotals::certificates_expired},
    {"tokens", &ReportTotals::tokens},
    {"tokens_locked", &ReportTotals::tokens_locked},
    {"renewals_due_next_year", &ReportTotals::renewals_due_next_year},
};

const CountTable<CertificateCounts> kCertificateCounts = {
    {"valid", &CertificateCounts::valid},
    {"expiring", &CertificateCounts::expiring},
    {"expired", &CertificateCounts::expired},
    {"revoked", &CertificateCounts::revoked},
    {"not_yet_valid", &CertificateCounts::not_yet_valid},
    {"unparseable", &CertificateCounts::unparseable},
};

const CountTable<KindCounts> kKindCounts = {
    {"individual", &KindCounts::individual},
    {"organization", &KindCounts::organization},
    {"device", &KindCounts::device},
    {"unknown", &KindCounts::unknown},
};

const CountTable<PinStateCounts> kPinStateCounts = {
    {"ok", &PinStateCounts::ok},
    {"count_low", &PinStateCounts::count_low},
    {"final_try", &PinStateCounts::final_try},
    {"locked", &PinStateCounts::locked},
    {"unknown", &PinStateCounts::unknown},
};

const CountTable<RequestOutcomes> kOutcomes = {
    {"completed", &RequestOutcomes::completed},
    {"rejected", &RequestOutcomes::rejected},
    {"pending", &RequestOutcomes::pending},
    {"cancelled", &RequestOutcomes::cancelled},
};

constexpr SubscriberKind kKinds[] = {SubscriberKind::Individual, SubscriberKind::Organization,
                                     SubscriberKind::Device, SubscriberKind::Unknown};

Object::Ptr ordered() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

template <typename Counts>
void putCounts(Object& object, const Counts& counts, CountTable<Counts> table) {
  for (const auto& [name, member] : table) object.set(std::string(name), counts.*member);
}

template <typename Counts>
Object::Ptr countsJson(const Counts& counts, CountTable<Counts> table) {
  Object::Ptr object = ordered();
  putCounts(*object, counts, table);
  return object;
}

Poco::Dynamic::Var optionalJson(const auto& value) {
  return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

Object::Ptr completionJson(const CompletionTimes& times) {
  Object::Ptr object = ordered();
  object->set("measured", times.measured);
  object->set("median_working_days", optionalJson(times.median_working_days));
  object->set("worst_working_days", optionalJson(times.worst_working_days));
  return object;
}

Array::Ptr renewalsJson(const std::array<KindCounts, 12>& months) {
  Array::Ptr array = new Array;
  for (size_t month = 0; month < months.size(); ++month) {
    Object::Ptr object = ordered();
    object->set("month", int(month) + 1);
    putCounts(*object, months[month], kKindCounts);
    object->set("total", months[month].total());
    array->add(object);
  }
  return array;
}

Object::Ptr noted(int count, const std::string& note) {
  Object::Ptr object = ordered();
  object->set("count", count);
  object->set("note", note);
  return object;
}

Array::Ptr stringsJson(const std::vector<std::string>& values) {
  Array::Ptr array = new Array;
  for (const std::string& value : values) array->add(value);
  return array;
}

// Reads typed fields of one JSON object. The first problem anywhere in the document is kept,
// with the path of the field ("plan.renewals_by_month[3].device"), in state its children share.
class Fields {
 public:
  Fields(Object::Ptr object, std::string path, std::shared_ptr<std::string> error)
      : object_(std::move(object)), path_(std::move(path)), error_(std::move(error)) {}

  [[nodiscard]] const std::string& error() const { return *error_; }

  int count(const std::string& key) {
    const auto value = get(key);
    if (value.isEmpty()) return 0;
    if (value.isBoolean() || !value.isInteger()) return problem(key, "expected a whole number ≥ 0");
    try {
      const auto number = value.convert<std::int64_t>();
      if (number < 0 || number > std::numeric_limits<int>::max()) {
        return problem(key, "expected a whole number ≥ 0");
      }
      return int(number);
    } catch (const Poco::Exception&) {
      return problem(key, "expected a whole number ≥ 0");
    }
  }

  std::optional<int> optionalCount(const std::string& key) {
    if (isNull(key)) return std::nullopt;
    return count(key);
  }

  std::optional<double> optionalNumber(const std::string& key) {
    if (isNull(key)) return std::nullopt;
    const auto value = get(key);
    if (value.isEmpty()) return std::nullopt;
    if (value.isBoolean() || !value.isNumeric()) return problem(key, "expected a number"), 0.0;
    return value.convert<double>();
  }

  std::string text(const std::string& key) {
    const auto value = get(key);
    if (value.isEmpty()) return {};
    if (!value.isString()) return problem(key, "expected a string"), std::string();
    return value.extract<std::string>();
  }

  TimePoint instant(const std::string& key) {
    const std::string value = text(key);
    if (!error().empty()) return {};
    const auto at = parseIsoUtc(value);
    if (!at) {
      problem(key, "expected an ISO 8601 UTC time like 2026-12-31T17:00:00Z");
      return {};
    }
    return *at;
  }

  SubscriberKind kind(const std::string& key) {
    const std::string value = text(key);
    SubscriberKind kind = SubscriberKind::Unknown;
    if (error().empty() && !parseSubscriberKind(value, kind)) {
      problem(key, "expected individual, organization, device or unknown");
    }
    return kind;
  }

  Fields object(const std::string& key) {
    const auto value = get(key);
    if (!value.isEmpty() && value.type() != typeid(Object::Ptr)) problem(key, "expected an object");
    const Object::Ptr inner =
        value.type() == typeid(Object::Ptr) ? value.extract<Object::Ptr>() : new Object;
    return Fields(inner, path(key), error_);
  }

  Array::Ptr array(const std::string& key) {
    const auto value = get(key);
    if (!value.isEmpty() && value.type() != typeid(Array::Ptr)) problem(key, "expected an array");
    return value.type() == typeid(Array::Ptr) ? value.extract<Array::Ptr>() : new Array;
  }

  // Element `index` of `array` (the value of `key`), which must be an object.
  Fields element(const Array::Ptr& array, const std::string& key, unsigned index) {
    const std::string name = key + "[" + std::to_string(index) + "]";
    const auto value = array->get(index);
    if (value.type() != typeid(Object::Ptr)) {
      problem(name, "expected an object");
      return Fields(new Object, path(name), error_);
    }
    return Fields(value.extract<Object::Ptr>(), path(name), error_);
  }

  std::string string(const Array::Ptr& array, const std::string& key, unsigned index) {
    const auto value = array->get(index);
    if (!value.isString()) {
      return problem(key + "[" + std::to_string(index) + "]", "expected a string"), std::string();
    }
    return value.extract<std::string>();
  }

  template <typename Counts>
  void counts(Counts& out, CountTable<Counts> table) {
    for (const auto& [name, member] : table) out.*member = count(std::string(name));
  }

  // Records the first problem; returns 0 so that callers can `return problem(…)`.
  int problem(const std::string& key, const std::string& what) {
    if (error_->empty()) *error_ = path(key) + ": " + what;
    return 0;
  }

 private:
  [[nodiscard]] std::string path(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  bool isNull(const std::string& key) const { return object_->has(key) && object_->isNull(key); }

  Poco::Dynamic::Var get(const std::string& key) {
    if (!object_->has(key) || object_->isNull(key)) {
      problem(key, "missing");
      return {};
    }
    return object_->get(key);
  }

  Object::Ptr object_;
  std::string path_;
  std::shared_ptr<std::string> error_;
};

CompletionTimes readCompletion(Fields fields) {
  CompletionTimes times;
  times.measured = fields.count("measured");
  times.median_working_days = fields.optionalNumber("median_working_days");
  times.worst_working_days = fields.optionalCount("worst_working_days");
  return times;
}

void readRenewals(Fields& plan, std::array<KindCounts, 12>& months) {
  const Array::Ptr array = plan.array("renewals_by_month");
  if (!plan.error().empty()) return;
  if (array->size() != months.size()) {
    plan.problem("renewals_by_month", "expected 12 months, found " + std::to_string(array->size()));
    return;
  }
  for (unsigned i = 0; i < months.size(); ++i) {
    Fields month = plan.element(array, "renewals_by_month", i);
    if (month.count("month") != int(i) + 1 && plan.error().empty()) {
      month.problem("month", "expected " + std::to_string(i + 1));
    }
    month.counts(months[i], kKindCounts);
  }
}

}  // namespace

Object::Ptr reportJson(const YearlyReport& report) {
  Object::Ptr root = ordered();
  root->set("schema", report.schema);
  root->set("agency", report.agency_code);
  root->set("agency_name", report.agency_name);
  root->set("year", report.year);
  root->set("as_of", formatIsoUtc(report.as_of));
  root->set("expiring_within_days", report.expiring_within_days);
  root->set("not_seen_days", report.not_seen_days);
  root->set("totals", countsJson(totalsOf(report), kTotals));

  Object::Ptr inventory = ordered();
  Object::Ptr certificates = ordered();
  for (const SubscriberKind kind : kKinds) {
    certificates->set(std::string(toString(kind)),
                      countsJson(report.inventory.certificates.at(kind), kCertificateCounts));
  }
  inventory->set("certificates", certificates);
  inventory->set("tokens", countsJson(report.inventory.tokens, kPinStateCounts));
  inventory->set("tokens_not_seen", stringsJson(report.inventory.tokens_not_seen));
  inventory->set("tokens_lost", report.inventory.tokens_lost);
  inventory->set("tokens_damaged", report.inventory.tokens_damaged);
  root->set("inventory", inventory);

  Object::Ptr activity = ordered();
  Object::Ptr by_kind = ordered();
  for (const auto& [kind, figures] : report.activity.by_kind) {
    Object::Ptr entry = countsJson(figures.outcomes, kOutcomes);
    entry->set("time_to_complete", completionJson(figures.time_to_complete));
    by_kind->set(std::string(toString(kind)), entry);
  }
  activity->set("by_kind", by_kind);
  activity->set("time_to_complete", completionJson(report.activity.time_to_complete));
  root->set("activity", activity);

  Object::Ptr plan = ordered();
  plan->set("year", report.year + 1);
  plan->set("renewals_by_month", renewalsJson(report.plan.renewals_by_month));
  Array::Ptr candidates = new Array;
  for (const RevocationCandidate& candidate : report.plan.revocation_candidates) {
    Object::Ptr object = ordered();
    object->set("fingerprint_sha256", candidate.fingerprint_sha256);
    object->set("common_name", candidate.common_name);
    object->set("kind", std::string(toString(candidate.kind)));
    object->set("token_serial", candidate.token_serial);
    object->set("last_seen", formatIsoUtc(candidate.last_seen));
    candidates->add(object);
  }
  plan->set("revocation_candidates", candidates);
  const OfficerEntries& officer = report.officer;
  Object::Ptr expected_new = ordered();
  expected_new->set("individual", officer.expected_new_individual);
  expected_new->set("organization", officer.expected_new_organization);
  expected_new->set("device", officer.expected_new_device);
  expected_new->set("note", officer.expected_new_note);
  plan->set("expected_new", expected_new);
  plan->set("expected_revocations",
            noted(officer.expected_revocations, officer.expected_revocations_note));
  plan->set("tokens_to_replace", noted(officer.tokens_to_replace, officer.tokens_to_replace_note));
  root->set("plan", plan);

  Object::Ptr remarks = ordered();
  remarks->set("difficulties", officer.difficulties);
  remarks->set("proposals", officer.proposals);
  root->set("remarks", remarks);
  return root;
}

Result<YearlyReport> parseReport(const std::string& json) {
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(json);
    if (parsed.type() != typeid(Object::Ptr)) return fail("report: expected a JSON object");
    root = parsed.extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return fail("report: not JSON: ", e.message().empty() ? e.displayText() : e.message());
  }

  Fields fields(root, "", std::make_shared<std::string>());
  YearlyReport report;
  report.schema = fields.count("schema");
  if (fields.error().empty() && (report.schema < 1 || report.schema > kReportSchemaVersion)) {
    return fail("report: schema: ", std::to_string(report.schema),
                " is not a version this program reads (1 to ", std::to_string(kReportSchemaVersion),
                ")");
  }
  report.agency_code = fields.text("agency");
  report.agency_name = fields.text("agency_name");
  report.year = fields.count("year");
  if (fields.error().empty() && (report.year < 1 || report.year > 9998)) {
    fields.problem("year", "expected a year from 1 to 9998");
  }
  report.as_of = fields.instant("as_of");
  report.expiring_within_days = fields.count("expiring_within_days");
  report.not_seen_days = fields.count("not_seen_days");

  Fields inventory = fields.object("inventory");
  Fields certificates = inventory.object("certificates");
  for (const SubscriberKind kind : kKinds) {
    certificates.object(std::string(toString(kind)))
        .counts(report.inventory.certificates.at(kind), kCertificateCounts);
  }
  inventory.object("tokens").counts(report.inventory.tokens, kPinStateCounts);
  const Array::Ptr not_seen = inventory.array("tokens_not_seen");
  for (unsigned i = 0; i < not_seen->size(); ++i) {
    report.inventory.tokens_not_seen.push_back(inventory.string(not_seen, "tokens_not_seen", i));
  }
  report.inventory.tokens_lost = inventory.count("tokens_lost");
  report.inventory.tokens_damaged = inventory.count("tokens_damaged");

  Fields activity = fields.object("activity");
  Fields by_kind = activity.object("by_kind");
  for (const RequestKind kind : allRequestKinds()) {
    Fields entry = by_kind.object(std::string(toString(kind)));
    KindActivity& figures = report.activity.by_kind[kind];
    entry.counts(figures.outcomes, kOutcomes);
    figures.time_to_complete = readCompletion(entry.object("time_to_complete"));
  }
  report.activity.time_to_complete = readCompletion(activity.object("time_to_complete"));

  Fields plan = fields.object("plan");
  readRenewals(plan, report.plan.renewals_by_month);
  const Array::Ptr candidates = plan.array("revocation_candidates");
  for (unsigned i = 0; i < candidates->size(); ++i) {
    Fields candidate = plan.element(candidates, "revocation_candidates", i);
    report.plan.revocation_candidates.push_back(
        {candidate.text("fingerprint_sha256"), candidate.text("common_name"),
         candidate.kind("kind"), candidate.text("token_serial"), candidate.instant("last_seen")});
  }
  OfficerEntries& officer = report.officer;
  Fields expected_new = plan.object("expected_new");
  officer.expected_new_individual = expected_new.count("individual");
  officer.expected_new_organization = expected_new.count("organization");
  officer.expected_new_device = expected_new.count("device");
  officer.expected_new_note = expected_new.text("note");
  Fields revocations = plan.object("expected_revocations");
  officer.expected_revocations = revocations.count("count");
  officer.expected_revocations_note = revocations.text("note");
  Fields replacements = plan.object("tokens_to_replace");
  officer.tokens_to_replace = replacements.count("count");
  officer.tokens_to_replace_note = replacements.text("note");
  Fields remarks = fields.object("remarks");
  officer.difficulties = remarks.text("difficulties");
  officer.proposals = remarks.text("proposals");

  if (!fields.error().empty()) return fail("report: ", fields.error());
  return report;
}

Object::Ptr provinceReportJson(const ProvinceReport& province) {
  Object::Ptr root = ordered();
  root->set("schema", province.schema);
  root->set("year", province.year);
  root->set("generated_at", formatIsoUtc(province.generated_at));
  root->set("agencies_expected", province.agencies_expected);
  root->set("agencies_reported", province.agencies_reported);
  Array::Ptr missing = new Array;
  Array::Ptr missing_agencies = new Array;
  for (const ExpectedAgency& agency : province.missing) {
    missing->add(agency.code);
    Object::Ptr object = ordered();
    object->set("agency", agency.code);
    object->set("agency_name", agency.name);
    object->set("type", std::string(toString(agency.type.value_or(AgencyType::Other))));
    missing_agencies->add(object);
  }
  root->set("missing", missing);
  root->set("missing_agencies", missing_agencies);
  root->set("unlisted", stringsJson(province.unlisted));
  root->set("totals", countsJson(province.totals, kTotals));

  Array::Ptr by_type = new Array;
  for (const AgencyTypeLine& line : province.by_type) {
    Object::Ptr object = ordered();
    object->set("type", std::string(toString(line.type)));
    object->set("agencies_expected", line.agencies_expected);
    object->set("agencies_reported", line.agencies_reported);
    object->set("agencies_unlisted", line.agencies_unlisted);
    object->set("totals", countsJson(line.totals, kTotals));
    by_type->add(object);
  }
  root->set("by_type", by_type);

  Array::Ptr by_agency = new Array;
  for (const AgencyReportLine& line : province.by_agency) {
    Object::Ptr object = ordered();
    object->set("agency", line.agency_code);
    object->set("agency_name", line.agency_name);
    object->set("type", std::string(toString(line.type)));
    object->set("expected", line.expected);
    object->set("version", line.version);
    object->set("as_of", formatIsoUtc(line.as_of));
    object->set("submitted_at", formatIsoUtc(line.submitted_at));
    object->set("staleness_days", line.staleness_days);
    object->set("totals", countsJson(line.totals, kTotals));
    putCounts(*object, line.totals, kContractTotals);
    // The officer's remarks, as the agency's own report carries them.
    Object::Ptr remarks = ordered();
    remarks->set("difficulties", line.difficulties);
    remarks->set("proposals", line.proposals);
    object->set("remarks", remarks);
    by_agency->add(object);
  }
  root->set("by_agency", by_agency);

  const ProvincePlan& summed = province.plan;
  Object::Ptr plan = ordered();
  plan->set("year", province.year + 1);
  plan->set("renewals_by_month", renewalsJson(summed.renewals_by_month));
  Object::Ptr expected_new = ordered();
  expected_new->set("individual", summed.expected_new.individual);
  expected_new->set("organization", summed.expected_new.organization);
  expected_new->set("device", summed.expected_new.device);
  plan->set("expected_new", expected_new);
  plan->set("expected_revocations", summed.expected_revocations);
  plan->set("tokens_to_replace", summed.tokens_to_replace);
  plan->set("revocation_candidates", summed.revocation_candidates);
  root->set("plan", plan);
  return root;
}

}  // namespace cks::sync
