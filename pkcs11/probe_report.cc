#include "pkcs11/probe_report.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "core/text.h"

namespace cks::pkcs11 {
namespace {

std::vector<std::uint8_t> unbase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  std::vector<std::uint8_t> bytes;
  char c;
  while (decoder.get(c)) bytes.push_back(static_cast<std::uint8_t>(c));
  return bytes;
}

}  // namespace

std::string_view toString(ProbeOutcome outcome) {
  switch (outcome) {
    case ProbeOutcome::Ok:
      return "ok";
    case ProbeOutcome::Failed:
      return "failed";
    case ProbeOutcome::Timeout:
      return "timeout";
  }
  return "failed";
}

bool parseProbeOutcome(std::string_view text, ProbeOutcome& out) {
  for (auto candidate : {ProbeOutcome::Ok, ProbeOutcome::Failed, ProbeOutcome::Timeout}) {
    if (toString(candidate) == text) {
      out = candidate;
      return true;
    }
  }
  return false;
}

std::string toJson(const ProbeReport& report) {
  Poco::JSON::Object root;
  root.set("module", report.module);
  root.set("outcome", std::string(toString(report.outcome)));
  root.set("detail", report.detail);
  root.set("library_description", report.library_description);
  root.set("library_manufacturer", report.library_manufacturer);
  root.set("slot_count", report.slot_count);
  Poco::JSON::Array tokens;
  for (const auto& token : report.tokens) {
    Poco::JSON::Object t;
    t.set("slot_id", static_cast<Poco::UInt64>(token.slot_id));
    t.set("slot_description", token.slot_description);
    t.set("serial", token.serial);
    t.set("label", token.label);
    t.set("manufacturer", token.manufacturer);
    t.set("model", token.model);
    t.set("pin_count_low", token.pin_flags.count_low);
    t.set("pin_final_try", token.pin_flags.final_try);
    t.set("pin_locked", token.pin_flags.locked);
    t.set("initialized", token.pin_flags.initialized);
    t.set("user_pin_set", token.pin_flags.user_pin_set);
    t.set("error", token.error);
    Poco::JSON::Array certs;
    for (const auto& cert : token.certificates) {
      Poco::JSON::Object c;
      c.set("label", cert.label);
      c.set("id", cert.id_hex);
      c.set("der", base64(cert.der));
      certs.add(c);
    }
    t.set("certificates", certs);
    tokens.add(t);
  }
  root.set("tokens", tokens);
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

Result<ProbeReport> probeReportFromJson(std::string_view json) {
  try {
    Poco::JSON::Parser parser;
    const auto root = parser.parse(std::string(json)).extract<Poco::JSON::Object::Ptr>();
    ProbeReport report;
    report.module = root->getValue<std::string>("module");
    if (!parseProbeOutcome(root->getValue<std::string>("outcome"), report.outcome)) {
      return fail("probe report: unknown outcome");
    }
    report.detail = root->getValue<std::string>("detail");
    report.library_description = root->optValue<std::string>("library_description", "");
    report.library_manufacturer = root->optValue<std::string>("library_manufacturer", "");
    report.slot_count = root->optValue<unsigned int>("slot_count", 0);
    const auto tokens = root->getArray("tokens");
    for (size_t i = 0; tokens && i < tokens->size(); ++i) {
      const auto t = tokens->getObject(static_cast<unsigned int>(i));
      ProbedToken token;
      token.slot_id = static_cast<unsigned long>(t->getValue<Poco::UInt64>("slot_id"));
      token.slot_description = t->getValue<std::string>("slot_description");
      token.serial = t->getValue<std::string>("serial");
      token.label = t->getValue<std::string>("label");
      token.manufacturer = t->getValue<std::string>("manufacturer");
      token.model = t->getValue<std::string>("model");
      token.pin_flags.count_low = t->getValue<bool>("pin_count_low");
      token.pin_flags.final_try = t->getValue<bool>("pin_final_try");
      token.pin_flags.locked = t->getValue<bool>("pin_locked");
      token.pin_flags.initialized = t->getValue<bool>("initialized");
      token.pin_flags.user_pin_set = t->getValue<bool>("user_pin_set");
      token.error = t->getValue<std::string>("error");
      const auto certs = t->getArray("certificates");
      for (size_t j = 0; certs && j < certs->size(); ++j) {
        const auto c = certs->getObject(static_cast<unsigned int>(j));
        token.certificates.push_back({c->getValue<std::string>("label"),
                                      c->getValue<std::string>("id"),
                                      unbase64(c->getValue<std::string>("der"))});
      }
      report.tokens.push_back(std::move(token));
    }
    return report;
  } catch (const Poco::Exception& e) {
    return fail("probe report: ", e.displayText());
  } catch (const std::exception& e) {
    return fail("probe report: ", e.what());
  }
}

}  // namespace cks::pkcs11
