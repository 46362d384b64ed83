#include "sync/protocol/request_entries.h"

#include <Poco/JSON/Array.h>

#include <sstream>

#include "core/time_format.h"
#include "sync/protocol/internal/body_reader.h"
#include "sync/protocol/json_text.h"

namespace cks::sync {
namespace {

bool isLowerHex64(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

template <typename Value>
std::string wireNames(const std::vector<Value>& values) {
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : ", ") + std::string(toString(value));
  return out;
}

}  // namespace

std::string encodeBody(const RequestFiled& filed) {
  const Request& r = filed.request;
  const auto optional = [](const std::string& value) {
    return value.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(value);
  };
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", r.id);
  o->set("kind", std::string(toString(r.kind)));
  o->set("state", "submitted");
  const auto form = formOf(r);
  o->set("form", form ? Poco::Dynamic::Var(std::string(toString(*form))) : Poco::Dynamic::Var());
  o->set("subscriber", r.subscriber == SubscriberKind::Unknown
                           ? Poco::Dynamic::Var()
                           : Poco::Dynamic::Var(std::string(toString(r.subscriber))));
  o->set("fingerprint_sha256", optional(r.fingerprint_sha256));
  o->set("token_serial", optional(r.token_serial));
  o->set("change_case",
         optional(r.change_case ? std::string(toString(*r.change_case)) : std::string()));
  o->set(
      "revocation_reason",
      optional(r.revocation_reason ? std::string(toString(*r.revocation_reason)) : std::string()));
  Poco::JSON::Object::Ptr fields = new Poco::JSON::Object;
  for (const auto& [key, value] : r.fields) fields->set(key, value);
  o->set("fields", fields);
  o->set("handled_by", std::string(toString(r.handled_by)));
  o->set("created_at", formatIsoUtc(r.created_at));
  Poco::JSON::Array::Ptr supersedes = new Poco::JSON::Array;
  for (const auto& id : filed.supersedes) supersedes->add(id);
  o->set("supersedes", supersedes);
  // Only when set: every other request is sent as agents sent it before mergers were tracked.
  if (!filed.merger_id.empty()) o->set("merger_id", filed.merger_id);
  Poco::JSON::Object body;
  body.set("request", o);
  return stringify(body);
}

std::string encodeBody(const RequestCancelled& cancelled) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("request_id", cancelled.request_id);
  body.set("at", formatIsoUtc(cancelled.at));
  body.set("reason", cancelled.reason);
  return stringify(body);
}

Result<RequestFiled> readRequestFiled(const Poco::JSON::Object::Ptr& body,
                                      const std::string& path) {
  std::string error;
  internal::BodyReader reader(body ? body : Poco::JSON::Object::Ptr(new Poco::JSON::Object), path,
                              error);
  auto fields = reader.object("request");
  if (!fields) return fail(error);
  internal::BodyReader& r = *fields;
  RequestFiled filed;
  Request& request = filed.request;

  request.id = r.requiredString("id");
  if (!r.failed() && request.id.empty()) r.problem("id", "must not be empty");
  if (!r.failed() && request.id.size() > 64) r.problem("id", "longer than 64 characters");
  const std::string kind = r.requiredString("kind");
  if (!r.failed() && !parseRequestKind(kind, request.kind)) {
    r.problem("kind",
              "unknown request kind \"" + kind + "\" (" + wireNames(allRequestKinds()) + ")");
  }
  const std::string state = r.requiredString("state");
  if (!r.failed() &&
      (!parseRequestState(state, request.state) ||
       (request.state != RequestState::Submitted && request.state != RequestState::Queued))) {
    r.problem("state", "expected \"submitted\", not \"" + state + "\"");
  }
  if (const auto subscriber = r.string("subscriber", false);
      subscriber && !r.failed() && !parseSubscriberKind(*subscriber, request.subscriber)) {
    r.problem("subscriber", "unknown subscriber kind \"" + *subscriber +
                                "\" (individual, organization or device)");
  }
  if (!r.failed() && request.kind == RequestKind::NewCertificate &&
      request.subscriber == SubscriberKind::Unknown) {
    r.problem("subscriber",
              "missing (a new certificate is for an individual, organization or "
              "device)");
  }
  request.fingerprint_sha256 = r.string("fingerprint_sha256", false).value_or("");
  const bool certificate_kind = request.kind == RequestKind::Renewal ||
                                request.kind == RequestKind::ChangeOfInformation ||
                                request.kind == RequestKind::Revocation;
  if (!r.failed() && (certificate_kind || !request.fingerprint_sha256.empty()) &&
      !isLowerHex64(request.fingerprint_sha256)) {
    r.problem("fingerprint_sha256", request.fingerprint_sha256.empty()
                                        ? "missing (a " + kind + " names its certificate)"
                                        : "expected 64 lowercase hex digits");
  }
  request.token_serial = r.string("token_serial", false).value_or("");
  if (!r.failed() && request.kind == RequestKind::DeviceRecovery && request.token_serial.empty()) {
    r.problem("token_serial", "missing (a device_recovery names its token)");
  }
  if (const auto change_case = r.string("change_case", false); change_case && !r.failed()) {
    ChangeCase value{};
    if (!parseChangeCase(*change_case, value)) {
      r.problem("change_case", "unknown change case \"" + *change_case + "\" (" +
                                   wireNames(allChangeCases()) + ")");
    }
    request.change_case = value;
  }
  if (!r.failed() && request.kind == RequestKind::ChangeOfInformation && !request.change_case) {
    r.problem("change_case", "missing (" + wireNames(allChangeCases()) + ")");
  }
  if (const auto reason = r.string("revocation_reason", false); reason && !r.failed()) {
    RevocationReason value{};
    if (!parseRevocationReason(*reason, value)) {
      r.problem("revocation_reason", "unknown revocation reason \"" + *reason + "\" (" +
                                         wireNames(allRevocationReasons()) + ")");
    }
    request.revocation_reason = value;
  }
  if (!r.failed() && request.kind == RequestKind::Revocation && !request.revocation_reason) {
    r.problem("revocation_reason", "missing (" + wireNames(allRevocationReasons()) + ")");
  }
  request.fields = r.strings("fields");
  const std::string handled_by = r.requiredString("handled_by");
  if (!r.failed() && !parseHandledBy(handled_by, request.handled_by)) {
    r.problem("handled_by", "expected \"province\" or \"provider\", not \"" + handled_by + "\"");
  }
  request.created_at = r.time("created_at");
  const std::string form = r.requiredString("form");
  if (!r.failed()) {
    const auto expected = formOf(request);
    if (!parseForm(form, filed.form) || !expected || *expected != filed.form) {
      r.problem("form", "\"" + form + "\" is not the form of this request" +
                            (expected ? " (expected \"" + std::string(toString(*expected)) + "\")"
                                      : std::string()));
    }
  }
  filed.merger_id = r.string("merger_id", false).value_or("");
  if (!r.failed() && filed.merger_id.size() > 64) {
    r.problem("merger_id", "longer than 64 characters");
  }
  // supersedes: an array of request ids, or absent.
  if (!r.failed()) {
    Poco::JSON::Object::Ptr object = body->getObject("request");
    if (object->has("supersedes") && !object->isNull("supersedes")) {
      const auto value = object->get("supersedes");
      if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
        r.problem("supersedes", "expected an array of request ids");
      } else {
        const auto array = value.extract<Poco::JSON::Array::Ptr>();
        for (unsigned i = 0; i < array->size(); ++i) {
          const auto id = array->get(i);
          if (!id.isString() || id.extract<std::string>().empty()) {
            r.problem("supersedes[" + std::to_string(i) + "]", "expected a request id");
            break;
          }
          filed.supersedes.push_back(id.extract<std::string>());
        }
      }
    }
  }
  if (!error.empty()) return fail(error);
  return filed;
}

Result<RequestCancelled> readRequestCancelled(const Poco::JSON::Object::Ptr& body,
                                              const std::string& path) {
  std::string error;
  internal::BodyReader r(body ? body : Poco::JSON::Object::Ptr(new Poco::JSON::Object), path,
                         error);
  RequestCancelled cancelled;
  cancelled.request_id = r.requiredString("request_id");
  if (!r.failed() && cancelled.request_id.empty()) r.problem("request_id", "must not be empty");
  cancelled.at = r.time("at");
  cancelled.reason = r.string("reason", false).value_or("");
  if (!error.empty()) return fail(error);
  return cancelled;
}

}  // namespace cks::sync
