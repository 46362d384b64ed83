#include <cstdlib>
#include <iostream>

#include "agent/cksctl_command.h"
#include "agent/text_table.h"
#include "core/labels.h"
#include "core/revocation.h"
#include "sync/protocol/inventory_json.h"

namespace cks::agent {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

void printCertificates(const Array::Ptr& certs, const View& view) {
  const Language lang = view.lang;
  if (saidNone(certs, lang, "certs.none")) return;
  TextTable table(
      headings(lang, {"col.holder", "col.fingerprint", "col.kind", "col.status", "col.days_left",
                      "col.expires", "col.token", "col.revocation", "col.chain"}));
  table.flexible(0).flexible(6).flexible(7).flexible(8).fixed(1).fixed(5);
  for (size_t i = 0; i < certs->size(); ++i) {
    const auto c = certs->getObject(static_cast<unsigned>(i));
    std::string holder = str(c, "common_name");
    const std::string fingerprint = str(c, "fingerprint_sha256");
    if (holder.empty()) holder = "—";
    std::string token = str(c, "token_label");
    if (!c->getValue<bool>("present"))
      token += " (" + message(lang, "col.present") + ": " + message(lang, "no") + ")";
    table.addRow({holder, shortFingerprint(fingerprint, view),
                  labelOfName(str(c, "kind"), parseSubscriberKind, lang),
                  labelOfName(str(c, "status"), parseCertificateStatus, lang), str(c, "days_left"),
                  view.date(str(c, "not_after")), token,
                  describe(sync::readRevocationJson(c->getObject("revocation")), lang),
                  labelOfName(str(c->getObject("chain"), "status"), parseChainStatus, lang)});
  }
  std::cout << message(lang, "certs.title") << '\n' << table.render(view.width);
  std::cout << message(lang, "certs.count", {std::to_string(certs->size())}) << '\n';
}

void printTokens(const Array::Ptr& tokens, const View& view) {
  const Language lang = view.lang;
  if (saidNone(tokens, lang, "tokens.none")) return;
  TextTable table(headings(lang, {"col.label", "col.serial", "col.manufacturer", "col.pin",
                                  "col.present", "col.certs", "col.last_seen"}));
  table.flexible(0).flexible(2).fixed(1).fixed(6);
  for (size_t i = 0; i < tokens->size(); ++i) {
    const auto t = tokens->getObject(static_cast<unsigned>(i));
    table.addRow({str(t, "label"), str(t, "serial"), str(t, "manufacturer"),
                  labelOfName(str(t, "pin_state"), parsePinState, lang),
                  message(lang, t->getValue<bool>("present") ? "yes" : "no"), str(t, "cert_count"),
                  view.time(str(t, "last_seen"))});
  }
  std::cout << message(lang, "tokens.title") << '\n' << table.render(view.width);
}

void printStatus(const Object::Ptr& s, const View& view) {
  const Language lang = view.lang;
  std::cout << message(lang, "status.agent", {str(s, "agent_version"), str(s, "host")}) << '\n';
  const std::string last = str(s, "last_scan");
  std::cout << message(lang, "status.last_scan",
                       {last.empty() ? message(lang, "status.never_scanned") : view.time(last)})
            << '\n';
  const auto counts = s->getObject("counts");
  std::cout << message(lang, "status.counts",
                       {str(counts, "tokens_present"), str(counts, "tokens_known"),
                        str(counts, "certificates"), str(counts, "certificates_expiring"),
                        str(counts, "certificates_expired")})
            << '\n';
  if (s->has("hub")) {
    const auto hub = s->getObject("hub");
    if (hub->getValue<bool>("enrolled")) {
      std::cout << message(lang, "status.hub",
                           {str(hub, "url"), str(hub, "agency_name"), str(hub, "agency_code"),
                            str(hub, "backlog")})
                << '\n';
    } else {
      std::cout << message(lang, "status.hub_none") << '\n';
    }
    if (hub->has("refused") && !hub->isNull("refused")) {
      const auto refused = hub->getObject("refused");
      std::cout << message(
                       lang, "status.hub_refused",
                       {view.time(str(refused, "since")), str(refused, "message"), str(hub, "url")})
                << '\n';
    }
    if (!hub->isNull("clock_offset_seconds") &&
        std::llabs(hub->getValue<long long>("clock_offset_seconds")) > 300) {
      std::cout << message(lang, "status.clock_off", {str(hub, "clock_offset_seconds")}) << '\n';
    }
  }
  std::cout << message(lang, "status.modules") << '\n';
  const auto modules = s->getArray("modules");
  for (size_t i = 0; i < modules->size(); ++i) {
    const auto m = modules->getObject(static_cast<unsigned>(i));
    std::string outcome = message(lang, "module." + str(m, "outcome"));
    if (str(m, "outcome") != "ok") {
      outcome += " (" + str(m, "detail") + "; " + view.time(str(m, "since")) + ")";
    }
    std::cout << message(lang, "status.module", {str(m, "path"), outcome}) << '\n';
  }
}

}  // namespace

int statusCommand(const Invocation& invocation) {
  if (tooManyArguments(invocation, 0)) return kExitUsage;
  return askAndShow(invocation, getRequest("/v1/status"),
                    [](const Poco::Dynamic::Var& parsed, const View& view) {
                      printStatus(parsed.extract<Object::Ptr>(), view);
                    });
}

int tokensCommand(const Invocation& invocation) {
  if (tooManyArguments(invocation, 0)) return kExitUsage;
  return askAndShow(invocation, getRequest("/v1/tokens"),
                    [](const Poco::Dynamic::Var& parsed, const View& view) {
                      printTokens(parsed.extract<Array::Ptr>(), view);
                    });
}

int certsCommand(const Invocation& invocation) {
  if (tooManyArguments(invocation, 0)) return kExitUsage;
  std::string path = "/v1/certificates";
  if (invocation.line.expiring) path += "?expiring=" + std::to_string(*invocation.line.expiring);
  return askAndShow(invocation, getRequest(path),
                    [](const Poco::Dynamic::Var& parsed, const View& view) {
                      printCertificates(parsed.extract<Array::Ptr>(), view);
                    });
}

int scanCommand(const Invocation& invocation) {
  if (tooManyArguments(invocation, 0)) return kExitUsage;
  return askAndShow(invocation, postRequest("/v1/scan", "", std::chrono::seconds(600)),
                    [](const Poco::Dynamic::Var& parsed, const View& view) {
                      const auto o = parsed.extract<Object::Ptr>();
                      std::cout << message(
                                       view.lang, "scan.done",
                                       {str(o, "tokens_present"), str(o, "certificates_present")})
                                << '\n';
                    });
}

}  // namespace cks::agent
