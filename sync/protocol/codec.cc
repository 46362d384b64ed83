#include "sync/protocol/codec.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "core/control_characters.h"
#include "core/time_format.h"
#include "sync/protocol/field_limits.h"
#include "sync/protocol/json_text.h"

namespace cks::sync {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object ordered() { return Object(Poco::JSON_PRESERVE_KEY_ORDER); }

// A flat message: its fields in wire order.
std::string encodeFields(std::initializer_list<std::pair<const char*, Poco::Dynamic::Var>> fields) {
  auto o = ordered();
  for (const auto& [key, value] : fields) o.set(key, value);
  return stringify(o);
}

// Reads typed fields of one JSON object; the first problem is kept with the field's path.
class Reader {
 public:
  Reader(Object::Ptr object, std::string path)
      : object_(std::move(object)), path_(std::move(path)) {}

  std::string string(const std::string& key, bool required = true) {
    const auto value = get(key, required);
    if (value.isEmpty()) return {};
    if (!value.isString()) return problem(key, "expected a string"), std::string();
    return value.extract<std::string>();
  }

  std::int64_t integer(const std::string& key, bool required = true) {
    const auto value = get(key, required);
    if (value.isEmpty()) return 0;
    // Poco counts a JSON boolean as an integer; the protocol does not.
    if (value.isBoolean() || !value.isInteger()) return problem(key, "expected an integer"), 0;
    try {
      return value.convert<std::int64_t>();
    } catch (const Poco::Exception&) {
      return problem(key, "integer out of range"), 0;
    }
  }

  [[nodiscard]] bool has(const std::string& key) const {
    return object_->has(key) && !object_->isNull(key);
  }

  bool boolean(const std::string& key) {
    const auto value = get(key, true);
    if (value.isEmpty()) return false;
    if (!value.isBoolean()) return problem(key, "expected true or false"), false;
    return value.extract<bool>();
  }

  TimePoint time(const std::string& key, bool required = true) {
    const std::string text = string(key, required);
    if (text.empty()) return {};
    const auto at = parseIsoUtc(text);
    if (!at)
      return problem(key, "expected an ISO 8601 UTC time like 2026-11-22T04:50:38Z"), TimePoint{};
    return *at;
  }

  Object::Ptr object(const std::string& key, bool required = true) {
    const auto value = get(key, required);
    if (value.isEmpty()) return nullptr;
    if (value.type() != typeid(Object::Ptr)) return problem(key, "expected an object"), nullptr;
    return value.extract<Object::Ptr>();
  }

  Array::Ptr array(const std::string& key) {
    const auto value = get(key, true);
    if (value.isEmpty()) return nullptr;
    if (value.type() != typeid(Array::Ptr)) return problem(key, "expected an array"), nullptr;
    return value.extract<Array::Ptr>();
  }

  // A reader for element `index` of `array` (an object), named "key[index]".
  Reader element(const Array::Ptr& array, const std::string& key, unsigned index) {
    const std::string path = field(key) + "[" + std::to_string(index) + "]";
    const auto value = array->get(index);
    if (value.type() != typeid(Object::Ptr)) {
      if (error_.empty()) error_ = path + ": expected an object";
      return Reader(new Object, path);
    }
    return Reader(value.extract<Object::Ptr>(), path);
  }

  // Reads each element of the array `key` with `read(element_reader)`, up to the first problem.
  template <typename Read>
  void elements(const std::string& key, Read read) {
    const auto items = array(key);
    for (unsigned i = 0; items && i < items->size() && error_.empty(); ++i) {
      Reader e = element(items, key, i);
      read(e);
      adopt(e);
    }
  }

  void problem(const std::string& key, const std::string& what) {
    if (error_.empty()) error_ = field(key) + ": " + what;
  }
  void adopt(const Reader& inner) {
    if (error_.empty()) error_ = inner.error_;
  }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  std::string field(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  Poco::Dynamic::Var get(const std::string& key, bool required) {
    if (!object_->has(key) || object_->isNull(key)) {
      if (required) problem(key, "missing");
      return {};
    }
    return object_->get(key);
  }

  Object::Ptr object_;
  std::string path_;
  std::string error_;
};

// Where under `value` (named `path`, the value of a member named `key`) a string holds a NUL
// character: "\u0000" is valid JSON, but SQLite would keep it and PostgreSQL's text parameters
// cut the text there, so the two stores would disagree (review finding 12 of issue 15). A
// member's name never holds one: Poco's parser ends the name there (HubServerTest.ANul…). With
// `limits`, also where a string or a member's name is longer than its field's limit
// (field_limits.h). "" when there is none.
std::string badTextIn(const Poco::Dynamic::Var& value, const std::string& path,
                      std::string_view key, bool limits) {
  auto inside = [&](const std::string& member) {
    return path.empty() ? member : path + "." + member;
  };
  if (value.isString()) {
    const auto& text = value.extract<std::string>();
    if (text.find('\0') != std::string::npos) return path + ": contains a NUL character";
    if (limits && text.size() > maxFieldBytes(key)) {
      return path + ": " + std::to_string(text.size()) + " bytes, at most " +
             std::to_string(maxFieldBytes(key)) + " (the hub's limit for " + std::string(key) + ")";
    }
    return "";
  }
  if (value.type() == typeid(Object::Ptr)) {
    const std::string where = path.empty() ? std::string("body") : path;
    for (const auto& [name, member] : *value.extract<Object::Ptr>()) {
      if (limits && name.size() > kMaxMemberNameBytes) {
        return where + ": a member's name of " + std::to_string(name.size()) + " bytes, at most " +
               std::to_string(kMaxMemberNameBytes);
      }
      if (auto found = badTextIn(member, inside(name), name, limits); !found.empty()) {
        return found;
      }
    }
  } else if (value.type() == typeid(Array::Ptr)) {
    const auto& array = *value.extract<Array::Ptr>();
    for (unsigned i = 0; i < array.size(); ++i) {
      const std::string element = path + "[" + std::to_string(i) + "]";
      if (auto found = badTextIn(array.get(i), element, key, limits); !found.empty()) {
        return found;
      }
    }
  }
  return "";
}

// Who sent the message: an agent's requests are held to the field limits, the hub's answers
// (certificates, feed items) are not.
enum class Sender { Agent, Hub };

template <typename Message, typename Fill>
Result<Message> decode(std::string_view json, Sender sender, Fill fill) {
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(std::string(json));
    if (parsed.type() != typeid(Object::Ptr)) return fail("body: expected a JSON object");
    root = parsed.extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return fail("body: not JSON: ", e.message().empty() ? e.displayText() : e.message());
  }
  if (auto bad = badTextIn(root, "", "", sender == Sender::Agent); !bad.empty()) return fail(bad);
  Reader reader(root, "");
  Message message;
  fill(reader, message);
  if (!reader.error().empty()) return fail(reader.error());
  return message;
}

}  // namespace

bool isKnownEntryKind(const std::string& kind) {
  for (const char* known :
       {"token_inserted", "token_removed", "token_pin_state_changed", "certificate_appeared",
        "certificate_disappeared", "certificate_replaced", "snapshot",
        // The yearly report (docs/report.md, "Province side").
        "report_submitted", "report_draft_saved", "province_report_submitted"}) {
    if (kind == known) return true;
  }
  return isAlertEntryKind(kind) || isRequestEntryKind(kind);
}

bool isRequestEntryKind(const std::string& kind) {
  return kind == "request_filed" || kind == "request_cancelled";
}

bool isAlertEntryKind(const std::string& kind) {
  return kind == "alert_raised" || kind == "alert_changed";
}

bool isKnownLane(const std::string& lane) { return lane == "urgent" || lane == "normal"; }

std::string encode(const EnrollRequest& m) {
  return encodeFields(
      {{"code", m.code}, {"csr", m.csr_pem}, {"host", m.host}, {"agent_version", m.agent_version}});
}

std::string encode(const EnrollResponse& m) {
  auto o = ordered();
  o.set("agent_id", m.agent_id);
  Object agency(Poco::JSON_PRESERVE_KEY_ORDER);
  agency.set("code", m.agency_code);
  agency.set("name", m.agency_name);
  // Identity fields the hub does not know are left out rather than sent empty.
  const auto optional = [&](const char* key, const std::string& value) {
    if (!value.empty()) agency.set(key, value);
  };
  optional("parent_body", m.parent_body);
  optional("province", m.province);
  optional("place", m.place);
  optional("department", m.department);
  o.set("agency", agency);
  o.set("certificate", m.certificate_pem);
  o.set("agent_ca", m.agent_ca_pem);
  o.set("hub_time", formatIsoUtc(m.hub_time));
  return stringify(o);
}

std::string encode(const RenewRequest& m) { return encodeFields({{"csr", m.csr_pem}}); }

std::string encode(const RenewResponse& m) {
  auto o = ordered();
  o.set("certificate", m.certificate_pem);
  o.set("agent_ca", m.agent_ca_pem);
  o.set("hub_time", formatIsoUtc(m.hub_time));
  return stringify(o);
}

std::string encode(const PushRequest& m) {
  auto o = ordered();
  o.set("lane", m.lane);
  Array entries;
  for (const auto& e : m.entries) {
    Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
    entry.set("seq", e.seq);
    entry.set("uuid", e.uuid);
    entry.set("kind", e.kind);
    entry.set("at", formatIsoUtc(e.at));
    entry.set("body", e.body ? e.body : Object::Ptr(new Object));
    entries.add(entry);
  }
  o.set("entries", entries);
  o.set("backlog", m.backlog);
  o.set("agent_version", m.agent_version);
  o.set("agent_time", formatIsoUtc(m.agent_time));
  return stringify(o);
}

std::string encode(const PushResponse& m) {
  return encodeFields({{"acked", m.acked}, {"hub_time", formatIsoUtc(m.hub_time)}});
}

std::string encode(const PullRequest& m) { return encodeFields({{"cursor", m.cursor}}); }

std::string encode(const PullResponse& m) {
  auto o = ordered();
  Array items;
  for (const auto& item : m.items) {
    Object i(Poco::JSON_PRESERVE_KEY_ORDER);
    i.set("seq", item.seq);
    i.set("kind", item.kind);
    i.set("body", item.body ? item.body : Object::Ptr(new Object));
    items.add(i);
  }
  o.set("items", items);
  o.set("cursor", m.cursor);
  o.set("hub_time", formatIsoUtc(m.hub_time));
  return stringify(o);
}

std::string encode(const DigestRequest& m) {
  return encodeFields(
      {{"digest", m.digest}, {"tokens", m.tokens}, {"certificates", m.certificates}});
}

std::string encode(const DigestResponse& m) {
  return encodeFields({{"match", m.match}, {"hub_time", formatIsoUtc(m.hub_time)}});
}

std::string encode(const ErrorBody& m) {
  auto o = ordered();
  o.set("error", m.error);
  o.set("message", m.message);
  if (m.acked) o.set("acked", *m.acked);
  o.set("hub_time", formatIsoUtc(m.hub_time));
  return stringify(o);
}

Result<EnrollRequest> decodeEnrollRequest(std::string_view json) {
  return decode<EnrollRequest>(json, Sender::Agent, [](Reader& r, EnrollRequest& m) {
    m.code = r.string("code");
    m.csr_pem = r.string("csr");
    m.host = r.string("host");
    // The PC's name goes to the province's screens and hub.log: it is a name, not a layout.
    if (hasControlCharacters(m.host)) r.problem("host", "contains a control character");
    m.agent_version = r.string("agent_version");
  });
}

Result<EnrollResponse> decodeEnrollResponse(std::string_view json) {
  return decode<EnrollResponse>(json, Sender::Hub, [](Reader& r, EnrollResponse& m) {
    m.agent_id = r.string("agent_id");
    if (auto agency = r.object("agency")) {
      Reader a(agency, "agency");
      m.agency_code = a.string("code");
      m.agency_name = a.string("name");
      m.parent_body = a.string("parent_body", false);
      m.province = a.string("province", false);
      m.place = a.string("place", false);
      m.department = a.string("department", false);
      r.adopt(a);
    }
    m.certificate_pem = r.string("certificate");
    m.agent_ca_pem = r.string("agent_ca");
    m.hub_time = r.time("hub_time");
  });
}

Result<RenewRequest> decodeRenewRequest(std::string_view json) {
  return decode<RenewRequest>(json, Sender::Agent,
                              [](Reader& r, RenewRequest& m) { m.csr_pem = r.string("csr"); });
}

Result<RenewResponse> decodeRenewResponse(std::string_view json) {
  return decode<RenewResponse>(json, Sender::Hub, [](Reader& r, RenewResponse& m) {
    m.certificate_pem = r.string("certificate");
    m.agent_ca_pem = r.string("agent_ca");
    m.hub_time = r.time("hub_time");
  });
}

Result<PushRequest> decodePushRequest(std::string_view json) {
  return decode<PushRequest>(json, Sender::Agent, [](Reader& r, PushRequest& m) {
    m.lane = r.string("lane");
    if (!m.lane.empty() && !isKnownLane(m.lane))
      r.problem("lane", "unknown lane \"" + m.lane + "\"");
    m.backlog = r.integer("backlog", false);
    m.agent_version = r.string("agent_version", false);
    m.agent_time = r.time("agent_time", false);
    r.elements("entries", [&](Reader& e) {
      OutboxEntry entry;
      entry.seq = e.integer("seq");
      if (e.error().empty() && entry.seq < 1) e.problem("seq", "must be 1 or more");
      entry.uuid = e.string("uuid");
      entry.kind = e.string("kind");
      if (e.error().empty() && !isKnownEntryKind(entry.kind)) {
        e.problem("kind", "unknown entry kind \"" + entry.kind + "\"");
      }
      entry.at = e.time("at");
      entry.body = e.object("body");
      m.entries.push_back(std::move(entry));
    });
  });
}

Result<PushResponse> decodePushResponse(std::string_view json) {
  return decode<PushResponse>(json, Sender::Hub, [](Reader& r, PushResponse& m) {
    m.acked = r.integer("acked");
    m.hub_time = r.time("hub_time");
  });
}

Result<PullRequest> decodePullRequest(std::string_view json) {
  return decode<PullRequest>(json, Sender::Agent, [](Reader& r, PullRequest& m) {
    m.cursor = r.integer("cursor");
    if (r.error().empty() && m.cursor < 0) r.problem("cursor", "must be 0 or more");
  });
}

Result<PullResponse> decodePullResponse(std::string_view json) {
  return decode<PullResponse>(json, Sender::Hub, [](Reader& r, PullResponse& m) {
    m.cursor = r.integer("cursor");
    m.hub_time = r.time("hub_time");
    r.elements("items", [&](Reader& e) {
      FeedItem item;
      item.seq = e.integer("seq");
      item.kind = e.string("kind");
      item.body = e.object("body");
      m.items.push_back(std::move(item));
    });
  });
}

Result<DigestRequest> decodeDigestRequest(std::string_view json) {
  return decode<DigestRequest>(json, Sender::Agent, [](Reader& r, DigestRequest& m) {
    m.digest = r.string("digest");
    m.tokens = r.integer("tokens");
    m.certificates = r.integer("certificates");
  });
}

Result<DigestResponse> decodeDigestResponse(std::string_view json) {
  return decode<DigestResponse>(json, Sender::Hub, [](Reader& r, DigestResponse& m) {
    m.match = r.boolean("match");
    m.hub_time = r.time("hub_time");
  });
}

Result<ErrorBody> decodeErrorBody(std::string_view json) {
  return decode<ErrorBody>(json, Sender::Hub, [](Reader& r, ErrorBody& m) {
    m.error = r.string("error");
    m.message = r.string("message");
    m.hub_time = r.time("hub_time", false);
    if (r.has("acked")) m.acked = r.integer("acked");
  });
}

}  // namespace cks::sync
