#include "agent/request_form_command.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>

#include "agent/cksctl_command.h"
#include "core/labels.h"
#include "core/request.h"
#include "core/time_format.h"
#include "print/request_forms.h"

namespace cks::agent {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr auto kTimeout = std::chrono::seconds(30);

// The request object of the local API (docs/local-api.md) read back into the core's Request.
Request requestFrom(const Object::Ptr& o) {
  Request r;
  r.id = str(o, "id");
  (void)parseRequestKind(str(o, "kind"), r.kind);
  (void)parseRequestState(str(o, "state"), r.state);
  (void)parseSubscriberKind(str(o, "subscriber"), r.subscriber);
  r.fingerprint_sha256 = str(o, "fingerprint_sha256");
  r.token_serial = str(o, "token_serial");
  ChangeCase change_case{};
  if (parseChangeCase(str(o, "change_case"), change_case)) r.change_case = change_case;
  RevocationReason reason{};
  if (parseRevocationReason(str(o, "revocation_reason"), reason)) r.revocation_reason = reason;
  if (const auto fields = o->getObject("fields")) {
    for (const auto& [key, value] : *fields) r.fields[key] = value.toString();
  }
  (void)parseHandledBy(str(o, "handled_by"), r.handled_by);
  r.created_at = parseIsoUtc(str(o, "created_at")).value_or(TimePoint{});
  if (const auto received = parseIsoUtc(str(o, "received_at"))) r.received_at = *received;
  return r;
}

std::optional<std::string> fetch(const LocalApiClient& client, const std::string& path,
                                 int& exit_code, Language language) {
  const auto answer = askAgent(client, "GET", path, kTimeout, language);
  if (!answer) {
    exit_code = 3;
    return std::nullopt;
  }
  if (answer->http_status != 200) {
    exit_code = answer->http_status == 404 ? 1 : 2;
    return std::nullopt;
  }
  return answer->body;
}

}  // namespace

FormIdentity formIdentity(const Object::Ptr& agency, const AgentConfig& config, Language language) {
  FormIdentity identity;
  const auto value = [&](std::string_view field) { return str(agency, std::string(field)); };
  const bool province_known = !value("province").empty();
  const auto known = [&](std::string_view field) {
    if (auto known_value = value(field); !known_value.empty()) return known_value;
    // The body above, the place and the Sở follow from the province: name that one setting.
    std::string missing(field);
    if (!province_known && field != "name" && field != "code") missing = "province";
    if (std::find(identity.missing.begin(), identity.missing.end(), missing) ==
        identity.missing.end()) {
      identity.missing.push_back(missing);
    }
    return message(language, "identity.unknown." + std::string(field));
  };
  print::FormHeader& header = identity.header;
  header.agency_name = known("name");
  header.agency_code = known("code");
  header.parent_body = known("parent_body");
  header.province_place = known("place");
  header.addressee = known("department");
  // The signer's title and name: the agent's [agency], else this agent.ini's.
  const auto either = [&](const char* key, const std::string& own) {
    const std::string given = str(agency, key);
    return given.empty() ? own : given;
  };
  header.signer_title = either("signer_title", config.signer_title);
  header.signer_name = either("signer", config.signer.empty() ? config.form_signer : config.signer);
  return identity;
}

void warnOfUnknownIdentity(const std::vector<std::string>& missing, const AgentConfig& config,
                           Language language) {
  if (missing.empty()) return;
  std::string fields;
  for (const auto& field : missing) {
    fields += (fields.empty() ? "" : ", ") + message(language, "identity.field." + field);
  }
  std::cerr << message(language, "identity.warning",
                       {fields, config.source.empty() ? "agent.ini" : config.source})
            << '\n';
}

int writeFormCommand(const LocalApiClient& client, const AgentConfig& config,
                     const std::vector<std::string>& ids, const std::string& output,
                     Language language, TimePoint now) {
  int exit_code = 0;
  std::vector<Request> requests;
  for (const auto& id : ids) {
    const auto body = fetch(client, "/v1/requests/" + id, exit_code, language);
    if (!body) {
      if (exit_code == 1) std::cerr << message(language, "requests.not_found", {id}) << '\n';
      return exit_code;
    }
    requests.push_back(requestFrom(Poco::JSON::Parser().parse(*body).extract<Object::Ptr>()));
  }
  const auto certs = fetch(client, "/v1/certificates", exit_code, language);
  const auto status = fetch(client, "/v1/status", exit_code, language);
  if (!certs || !status) return exit_code == 0 ? 1 : exit_code;

  // The table shows the certificates the requests name, or those on the token to recover.
  std::map<std::string, print::RequestedCertificateInfo> certificates;
  const auto list = Poco::JSON::Parser().parse(*certs).extract<Array::Ptr>();
  for (size_t i = 0; i < list->size(); ++i) {
    const auto c = list->getObject(static_cast<unsigned>(i));
    print::RequestedCertificateInfo info;
    info.holder = str(c, "common_name");
    info.serial = str(c, "serial");
    if (const auto not_after = parseIsoUtc(str(c, "not_after"))) info.not_after = *not_after;
    info.token_serial = str(c, "token_serial");
    certificates[str(c, "fingerprint_sha256")] = info;
  }

  // The agency as the province knows it, with agent.ini's [agency] over it (the agent's status
  // says, agent/agency_profile.h); a field nobody knows is printed as such and warned of.
  const auto agency =
      Poco::JSON::Parser().parse(*status).extract<Object::Ptr>()->getObject("agency");
  const FormIdentity identity = formIdentity(agency, config, language);
  print::FormHeader header = identity.header;
  header.addressee = requests.front().handled_by == HandledBy::Province
                         ? header.addressee
                         : label(HandledBy::Provider, Language::Vietnamese);
  const auto written =
      print::writeRequestForm(requests, header, certificates, language, now, output);
  if (!written) {
    std::cerr << written.error().message << '\n';
    return 2;
  }
  warnOfUnknownIdentity(identity.missing, config, language);
  std::cout << message(language, "requests.form_written", {output}) << '\n';
  return 0;
}

}  // namespace cks::agent
