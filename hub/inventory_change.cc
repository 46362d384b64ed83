#include "hub/inventory_change.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace cks::hub {
namespace {

// Reads the raw text of a JSON document that a full parser has already accepted: just enough
// to find where each value starts and ends, never allocating and never recursing.
class JsonSpans {
 public:
  explicit JsonSpans(std::string_view text) : text_(text) {}

  // The text of every entries[i].body of a push request, in order; nullopt for an entry
  // without an object body. Empty when the request does not look as expected (the caller then
  // writes the parsed bodies out instead). As with the parser, a repeated key counts with its
  // last value; a key written with escapes gives up (the raw text would not compare equal).
  std::vector<std::optional<std::string_view>> entryBodies() {
    std::vector<std::optional<std::string_view>> bodies;
    bool seen = false;
    if (!enter('{')) return {};
    int more = 1;
    while (more == 1) {
      std::string_view key;
      if (!member(key)) return {};
      if (key == "entries") {
        bodies.clear();
        seen = true;
        if (!entries(bodies)) return {};
      } else if (!skipValue()) {
        return {};
      }
      more = next('}');
    }
    if (more < 0 || !seen) return {};
    return bodies;
  }

 private:
  static bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

  void space() {
    while (at_ < text_.size() && isSpace(text_[at_])) ++at_;
  }

  bool enter(char open) {
    space();
    if (at_ >= text_.size() || text_[at_] != open) return false;
    ++at_;
    return true;
  }

  // After a member or element: 1 at a comma (more follow), 0 at `close`, -1 otherwise.
  int next(char close) {
    space();
    if (at_ >= text_.size()) return -1;
    const char c = text_[at_++];
    if (c == ',') return 1;
    return c == close ? 0 : -1;
  }

  // `"key":`, giving the key's raw text.
  bool member(std::string_view& key) {
    space();
    const std::size_t start = at_ + 1;
    if (!skipString()) return false;
    key = text_.substr(start, at_ - 1 - start);
    if (key.find('\\') != std::string_view::npos) return false;
    space();
    if (at_ >= text_.size() || text_[at_] != ':') return false;
    ++at_;
    space();
    return true;
  }

  bool skipString() {
    if (at_ >= text_.size() || text_[at_] != '"') return false;
    for (++at_; at_ < text_.size(); ++at_) {
      if (text_[at_] == '\\') {
        ++at_;
      } else if (text_[at_] == '"') {
        ++at_;
        return true;
      }
    }
    return false;
  }

  bool skipValue() {
    space();
    if (at_ >= text_.size()) return false;
    const char first = text_[at_];
    if (first == '"') return skipString();
    const std::size_t start = at_;
    if (first != '{' && first != '[') {  // a number, true, false or null
      while (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '}' && text_[at_] != ']' &&
             !isSpace(text_[at_])) {
        ++at_;
      }
      return at_ > start;
    }
    std::size_t depth = 0;
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '"') {
        if (!skipString()) return false;
        continue;
      }
      ++at_;
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return true;
    }
    return false;
  }

  bool entries(std::vector<std::optional<std::string_view>>& bodies) {
    if (!enter('[')) return false;
    space();
    if (at_ < text_.size() && text_[at_] == ']') {
      ++at_;
      return true;
    }
    int more = 1;
    while (more == 1) {
      std::optional<std::string_view> body;
      if (!enter('{')) return false;
      space();
      int member_more = 0;
      if (at_ < text_.size() && text_[at_] == '}') {
        ++at_;
      } else {
        member_more = 1;
        while (member_more == 1) {
          std::string_view key;
          if (!member(key)) return false;
          const std::size_t start = at_;
          if (!skipValue()) return false;
          if (key == "body") {
            body = text_.substr(start, at_ - start);
            if (body->front() != '{') body.reset();  // null: the parser reads no body either
          }
          member_more = next('}');
        }
      }
      if (member_more < 0) return false;
      bodies.push_back(body);
      more = next(']');
    }
    return more == 0;
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

std::vector<std::optional<std::string_view>> pushEntryBodies(std::string_view push_json) {
  return JsonSpans(push_json).entryBodies();
}

Result<InventoryChange> readInventoryChange(const sync::OutboxEntry& entry,
                                            const std::string& where,
                                            const SubscriberKindRules& rules,
                                            std::optional<std::string_view> body_text) {
  InventoryChange change;
  change.seq = entry.seq;
  change.uuid = entry.uuid;
  change.kind = entry.kind;
  change.at = entry.at;
  const Poco::JSON::Object::Ptr body =
      entry.body ? entry.body : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  if (body_text) {
    change.body_json = *body_text;
  } else {
    std::ostringstream text;
    body->stringify(text);
    change.body_json = text.str();
  }
  const std::string& kind = entry.kind;
  const std::string path = where + ".body";
  if (sync::isAlertEntryKind(kind)) {
    auto alert = readAlertChange(body, path);
    if (!alert) return tl::unexpected(alert.error());
    change.alert = std::move(*alert);
  } else if (kind == "request_filed") {
    auto filed = readRequestFiled(body, path);
    if (!filed) return tl::unexpected(filed.error());
    change.request_filed = std::move(*filed);
  } else if (kind == "request_cancelled") {
    auto cancelled = readRequestCancelled(body, path);
    if (!cancelled) return tl::unexpected(cancelled.error());
    change.request_cancelled = std::move(*cancelled);
  } else if (kind == "report_submitted") {
    auto submitted = readReportSubmitted(body, path);
    if (!submitted) return tl::unexpected(submitted.error());
    change.report_submitted = std::move(*submitted);
  } else if (kind == "report_draft_saved") {
    auto saved = readReportDraftSaved(body, path);
    if (!saved) return tl::unexpected(saved.error());
    change.report_draft_saved = *saved;
  } else if (kind == "province_report_submitted") {
    auto submitted = readProvinceReportSubmitted(body, path);
    if (!submitted) return tl::unexpected(submitted.error());
    change.province_report_submitted = std::move(*submitted);
  } else if (kind == "snapshot") {
    auto snapshot = sync::readSnapshot(body, path, rules);
    if (!snapshot) return tl::unexpected(snapshot.error());
    change.snapshot_tokens = std::move(snapshot->tokens);
    change.snapshot_certificates = std::move(snapshot->certificates);
  } else if (kind.rfind("certificate_", 0) == 0) {
    auto certificate = sync::readCertificateChange(kind, body, path, rules);
    if (!certificate) return tl::unexpected(certificate.error());
    change.token = std::move(certificate->token);
    change.certificate = std::move(certificate->certificate);
    change.previous_fingerprint = std::move(certificate->previous_fingerprint);
  } else {
    auto token = sync::readTokenChange(body, path);
    if (!token) return tl::unexpected(token.error());
    change.token = std::move(token->token);
  }
  return change;
}

}  // namespace cks::hub
