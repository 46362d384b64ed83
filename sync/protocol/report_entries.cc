#include "sync/protocol/report_entries.h"

#include <cstdint>
#include <limits>

#include "core/time_format.h"
#include "sync/protocol/internal/body_reader.h"
#include "sync/protocol/inventory_json.h"
#include "sync/protocol/report_json.h"

namespace cks::sync {

std::string encodeBody(const ReportSubmitted& submitted) {
  return "{\"version\":" + std::to_string(submitted.version) + ",\"submitted_at\":\"" +
         formatIsoUtc(submitted.submitted_at) + "\",\"report\":" + submitted.report_json + "}";
}

std::string encodeBody(const ReportDraftSaved& saved) {
  return "{\"year\":" + std::to_string(saved.year) + ",\"saved_at\":\"" +
         formatIsoUtc(saved.saved_at) + "\"}";
}

std::string encodeBody(const ProvinceReportSubmitted& submitted) {
  return "{\"version\":" + std::to_string(submitted.version) + ",\"submitted_at\":\"" +
         formatIsoUtc(submitted.submitted_at) + "\",\"province\":\"" + submitted.province +
         "\",\"report\":" + submitted.report_json + "}";
}

Result<ReportSubmitted> readReportSubmitted(const Poco::JSON::Object::Ptr& body,
                                            const std::string& path) {
  const Poco::JSON::Object::Ptr object =
      body ? body : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  std::string error;
  internal::BodyReader reader(object, path, error);
  ReportSubmitted submitted;
  submitted.version = int(reader.integer("version", true, 1, kMostReportVersions).value_or(1));
  submitted.submitted_at = reader.time("submitted_at");
  const bool has_report = reader.object("report").has_value();
  if (!error.empty()) return fail(error);
  CKS_CHECK(has_report);
  const std::string text = stringify(object->get("report"));
  auto report = parseReport(text);
  if (!report) return fail(path, ".report: ", report.error().message);
  submitted.report = std::move(*report);
  submitted.report_json = stringify(reportJson(submitted.report));
  return submitted;
}

Result<ReportDraftSaved> readReportDraftSaved(const Poco::JSON::Object::Ptr& body,
                                              const std::string& path) {
  const Poco::JSON::Object::Ptr object =
      body ? body : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  std::string error;
  internal::BodyReader reader(object, path, error);
  ReportDraftSaved saved;
  saved.year = int(reader.integer("year", true, 2000, 2200).value_or(0));
  saved.saved_at = reader.time("saved_at");
  if (!error.empty()) return fail(error);
  return saved;
}

Result<ProvinceReportSubmitted> readProvinceReportSubmitted(const Poco::JSON::Object::Ptr& body,
                                                            const std::string& path) {
  const Poco::JSON::Object::Ptr object =
      body ? body : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  std::string error;
  internal::BodyReader reader(object, path, error);
  ProvinceReportSubmitted submitted;
  constexpr std::int64_t kMostCount = std::numeric_limits<int>::max();
  auto count = [&](internal::BodyReader& r, const char* key) {
    return int(r.integer(key, true, 0, kMostCount).value_or(0));
  };
  submitted.version = int(reader.integer("version", true, 1, kMostReportVersions).value_or(1));
  submitted.submitted_at = reader.time("submitted_at");
  submitted.province = reader.requiredString("province");
  if (!reader.failed() && submitted.province.empty())
    reader.problem("province", "must not be empty");
  auto report = reader.object("report");
  if (report) {
    submitted.year = int(report->integer("year", true, 2000, 2200).value_or(0));
    submitted.generated_at = report->time("generated_at");
    submitted.agencies_expected = count(*report, "agencies_expected");
    submitted.agencies_reported = count(*report, "agencies_reported");
    if (!report->failed() && submitted.agencies_reported > submitted.agencies_expected) {
      report->problem("agencies_reported", "more than agencies_expected");
    }
    if (auto totals = report->object("totals")) {
      ProvinceTotals& t = submitted.totals;
      t.certificates_valid = count(*totals, "certificates_valid");
      t.certificates_expired = count(*totals, "certificates_expired");
      t.tokens = count(*totals, "tokens");
      t.tokens_locked = count(*totals, "tokens_locked");
      t.renewals_due_next_year = count(*totals, "renewals_due_next_year");
    }
    for (auto& line : report->objects("by_agency")) {
      (void)line.requiredString("agency");
      (void)line.integer("version", true, 1, kMostReportVersions);
    }
  }
  if (!error.empty()) return fail(error);
  const auto report_object = object->getObject("report");
  const auto missing =
      report_object->has("missing") ? report_object->get("missing") : Poco::Dynamic::Var();
  if (missing.type() != typeid(Poco::JSON::Array::Ptr)) {
    return fail(path, ".report.missing: expected an array of agency codes");
  }
  const auto codes = missing.extract<Poco::JSON::Array::Ptr>();
  for (unsigned i = 0; i < codes->size(); ++i) {
    if (!codes->get(i).isString()) {
      return fail(path, ".report.missing[", std::to_string(i), "]: expected an agency code");
    }
    submitted.missing.push_back(codes->get(i).extract<std::string>());
  }
  if (int(submitted.missing.size()) != submitted.agencies_expected - submitted.agencies_reported) {
    return fail(path, ".report.missing: ", std::to_string(submitted.missing.size()),
                " codes, but agencies_expected − agencies_reported is ",
                std::to_string(submitted.agencies_expected - submitted.agencies_reported));
  }
  submitted.report_json = stringify(report_object);
  return submitted;
}

}  // namespace cks::sync
