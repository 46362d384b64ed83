#include <iostream>
#include <map>
#include <sstream>

#include <Poco/JSON/Parser.h>

#include "agent/cksctl_command.h"
#include "agent/request_form_command.h"
#include "agent/text_table.h"
#include "core/labels.h"
#include "print/fonts.h"

namespace cks::agent {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// `cksctl requests`: a table of the requests, newest first.
void printRequests(const Array::Ptr& requests, const View& view) {
  const Language lang = view.lang;
  if (saidNone(requests, lang, "requests.none")) return;
  TextTable table(headings(lang, {"col.id", "requests.col.kind", "col.state", "requests.col.form",
                                  "requests.col.subject", "requests.col.created",
                                  "requests.col.due", "requests.col.handled_by"}));
  table.flexible(4).fixed(0).fixed(5);
  for (size_t i = 0; i < requests->size(); ++i) {
    const auto r = requests->getObject(static_cast<unsigned>(i));
    std::string subject = shortFingerprint(str(r, "fingerprint_sha256"), view);
    if (subject.empty()) subject = str(r, "token_serial");
    if (subject.empty() && r->has("fields")) {
      const auto fields = r->getObject("fields");
      subject = str(fields, "full_name");
      if (subject.empty()) subject = str(fields, "name");
    }
    const std::string due = str(r, "due_date");
    const std::string id = str(r, "id");
    table.addRow({view.width == 0 ? id : id.substr(0, 8),
                  labelOfName(str(r, "kind"), parseRequestKind, lang),
                  labelOfName(str(r, "state"), parseRequestState, lang), str(r, "form"), subject,
                  view.date(str(r, "created_at")),
                  due.size() == 10
                      ? due.substr(8, 2) + "/" + due.substr(5, 2) + "/" + due.substr(0, 4)
                      : due,
                  labelOfName(str(r, "handled_by"), parseHandledBy, lang)});
  }
  std::cout << message(lang, "requests.title") << '\n' << table.render(view.width);
  std::cout << message(lang, "requests.count", {std::to_string(requests->size())}) << '\n';
}

// `cksctl request show ID`: every field and the history.
void printRequest(const Object::Ptr& r, const View& view) {
  const Language lang = view.lang;
  const auto line = [&](const std::string& label, const std::string& value) {
    if (!value.empty())
      std::cout << message(lang, "requests.label." + label) << ": " << value << '\n';
  };
  line("id", str(r, "id"));
  line("kind", labelOfName(str(r, "kind"), parseRequestKind, lang));
  line("state", labelOfName(str(r, "state"), parseRequestState, lang));
  line("form", str(r, "form"));
  std::string subject = str(r, "fingerprint_sha256");
  if (!str(r, "token_serial").empty()) {
    subject += (subject.empty() ? "" : " / ") + str(r, "token_serial");
  }
  line("subject", subject);
  line("handled_by", labelOfName(str(r, "handled_by"), parseHandledBy, lang));
  line("created", view.time(str(r, "created_at")));
  const std::string due = str(r, "due_date");
  line("due",
       due.size() == 10 ? due.substr(8, 2) + "/" + due.substr(5, 2) + "/" + due.substr(0, 4) : due);
  std::string reason = str(r, "reason");
  if (!str(r, "revocation_reason").empty() && reason == str(r, "revocation_reason")) {
    reason = labelOfName(reason, parseRevocationReason, lang);
  }
  line("reason", reason);
  line("reference", str(r, "reference"));
  if (r->has("fields") && r->getObject("fields")->size() > 0) {
    std::cout << message(lang, "requests.label.fields") << ":\n";
    for (const auto& [key, value] : *r->getObject("fields")) {
      std::cout << "  " << message(lang, "request.field." + key) << " (" << key
                << "): " << value.toString() << '\n';
    }
  }
  if (r->has("history")) {
    std::cout << message(lang, "requests.label.history") << ":\n";
    const auto history = r->getArray("history");
    for (size_t i = 0; i < history->size(); ++i) {
      const auto step = history->getObject(static_cast<unsigned>(i));
      std::cout << "  " << view.time(str(step, "at")) << "  "
                << labelOfName(str(step, "state"), parseRequestState, lang) << "  "
                << str(step, "by");
      if (!str(step, "reason").empty()) std::cout << "  " << str(step, "reason");
      std::cout << '\n';
    }
  }
}

// The reasons of a 422/409 answer, one per line on stderr.
void printRefusal(const std::string& body, Language lang, const std::string& header) {
  std::cerr << header << '\n';
  try {
    const auto o = Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
    const auto reasons = o->getArray("reasons");
    for (size_t i = 0; reasons && i < reasons->size(); ++i) {
      std::cerr << "  - " << str(reasons->getObject(static_cast<unsigned>(i)), "message") << '\n';
    }
  } catch (const Poco::Exception&) {
    std::cerr << message(lang, "cli.api_error", {body}) << '\n';
  }
}

// The JSON body of POST /v1/requests for `request SUBCOMMAND` (nullopt: not a filing command).
std::optional<std::string> filingBody(const CommandLine& line, const std::string& subcommand) {
  static const std::map<std::string, std::string> kKinds = {{"renew", "renewal"},
                                                            {"change", "change_of_information"},
                                                            {"revoke", "revocation"},
                                                            {"recover", "device_recovery"},
                                                            {"new", "new_certificate"}};
  const auto kind = kKinds.find(subcommand);
  if (kind == kKinds.end()) return std::nullopt;
  Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("kind", kind->second);
  if (!line.cert.empty()) body.set("cert", line.cert);
  if (!line.change_case.empty()) body.set("case", line.change_case);
  if (!line.reason.empty()) body.set("reason", line.reason);
  if (!line.token.empty()) body.set("token", line.token);
  if (line.unusable) body.set("token_unusable", true);
  if (!line.kind.empty()) body.set("subscriber", line.kind);
  Object::Ptr fields = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [field, value] : line.set) fields->set(field, value);
  body.set("set", fields);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

// `request form ID [ID…] -o FILE.pdf`: the official forms, written here.
int writeForms(const Invocation& invocation) {
  const CommandLine& line = invocation.line;
  const Language language = invocation.language;
  if (line.arguments.size() < 2 || line.output.empty()) {
    std::cerr << message(language, "cli.missing_option",
                         {line.output.empty() ? "-o FILE.pdf" : "ID"})
              << '\n';
    return kExitUsage;
  }
  int exit_code = kExitOk;
  const auto client = clientOf(*invocation.config, language, exit_code);
  if (!client) return exit_code;
  const std::vector<std::string> ids(line.arguments.begin() + 1, line.arguments.end());
  const int written = writeFormCommand(*client, *invocation.config, ids, line.output, language,
                                       SystemClock().now());
  // cksctl exits next: give back fontconfig's and pango's caches (LeakSanitizer counts them).
  print::releaseFonts();
  return written;
}

// The agent's refusal of a request command in the officer's words, or nullopt when it has none.
std::optional<int> requestRefused(const Invocation& invocation, const ApiAnswer& answer,
                                  const std::string& id, bool names_one) {
  const Language language = invocation.language;
  if (answer.http_status == 422) {
    printRefusal(answer.body, language, message(language, "requests.refused"));
    return kExitUsage;
  }
  if (answer.http_status == 409) {
    printRefusal(answer.body, language, message(language, "requests.cancel_refused", {id, ""}));
    return kExitUsage;
  }
  if (answer.http_status == 404) {
    std::cerr << message(language, "requests.not_found", {id}) << '\n';
    return 1;
  }
  if (answer.http_status == 400 && names_one) {
    // A prefix several requests start with: name them, the officer types one more group.
    std::string candidates;
    try {
      const auto o = Poco::JSON::Parser().parse(answer.body).extract<Object::Ptr>();
      const auto list = o->getArray("candidates");
      for (size_t i = 0; list && i < list->size(); ++i) {
        candidates += "\n  " + list->getElement<std::string>(static_cast<unsigned>(i));
      }
    } catch (const Poco::Exception&) {
    }
    if (!candidates.empty()) {
      std::cerr << message(language, "requests.id_ambiguous", {id, candidates}) << '\n';
      return kExitUsage;
    }
  }
  if (answer.http_status != 200 && answer.http_status != 201)
    return answerFailed(invocation, answer);
  return std::nullopt;
}

}  // namespace

// request renew|change|revoke|recover|new …, request show|cancel ID, request form ID… -o FILE.
int requestCommand(const Invocation& invocation) {
  const CommandLine& line = invocation.line;
  const Language language = invocation.language;
  const std::string subcommand = line.arguments.empty() ? "" : line.arguments[0];
  if (subcommand == "form") return writeForms(invocation);
  const bool names_one = subcommand == "show" || subcommand == "cancel";
  if (line.arguments.empty() || (names_one && line.arguments.size() < 2)) {
    std::cerr << message(language, "cli.unknown_command",
                         {line.arguments.empty() ? "request" : "request " + subcommand})
              << '\n'
              << message(language, "cli.usage") << '\n';
    return kExitUsage;
  }
  if (tooManyArguments(invocation, names_one ? 2u : 1u)) return kExitUsage;
  AgentRequest request;
  const std::string id = names_one ? line.arguments[1] : "";
  if (names_one) {
    if (id.find_first_not_of("0123456789abcdefABCDEF-") != std::string::npos) {
      std::cerr << message(language, "requests.not_found", {id}) << '\n';
      return 1;
    }
    if (subcommand == "show") {
      request.path = "/v1/requests/" + id;
    } else {
      request.method = "POST";
      request.path = "/v1/requests/" + id + "/cancel?" + langQuery(language);
      if (!line.reason.empty()) {
        Object reason;
        reason.set("reason", line.reason);
        std::ostringstream out;
        reason.stringify(out);
        request.body = out.str();
      }
    }
  } else {
    const auto filing = filingBody(line, subcommand);
    if (!filing) {
      std::cerr << message(language, "cli.unknown_command", {"request " + subcommand}) << '\n'
                << message(language, "cli.usage") << '\n';
      return kExitUsage;
    }
    request.method = "POST";
    request.path = "/v1/requests?" + langQuery(language);
    request.body = *filing;
  }
  int exit_code = kExitOk;
  const auto answer = askRunningAgent(invocation, request, exit_code);
  if (!answer) return exit_code;
  if (const auto refused = requestRefused(invocation, *answer, id, names_one)) return *refused;
  return showAnswer(invocation, *answer, [&](const Poco::Dynamic::Var& parsed, const View& view) {
    if (subcommand == "show") printRequest(parsed.extract<Object::Ptr>(), view);
    if (subcommand == "cancel") {
      std::cout << message(language, "requests.cancelled",
                           {str(parsed.extract<Object::Ptr>(), "id")})
                << '\n';
    }
    if (!names_one) {
      // The id alone on the last line: scripts take it from there.
      const auto o = parsed.extract<Object::Ptr>();
      const auto cancelled = o->getArray("cancelled");
      for (size_t i = 0; cancelled && i < cancelled->size(); ++i) {
        std::cout << message(language, "requests.superseded",
                             {cancelled->getElement<std::string>(static_cast<unsigned>(i))})
                  << '\n';
      }
      std::cout << message(language, "requests.filed",
                           {labelOfName(str(o, "kind"), parseRequestKind, language), str(o, "form"),
                            labelOfName(str(o, "handled_by"), parseHandledBy, language)})
                << '\n'
                << str(o, "id") << '\n';
    }
  });
}

int requestsCommand(const Invocation& invocation) {
  if (tooManyArguments(invocation, 0)) return kExitUsage;
  return askAndShow(invocation, getRequest("/v1/requests"),
                    [](const Poco::Dynamic::Var& parsed, const View& view) {
                      printRequests(parsed.extract<Array::Ptr>(), view);
                    });
}

}  // namespace cks::agent
