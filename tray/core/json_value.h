// A small JSON reader for the agent's local API answers (docs/local-api.md, docs/alerts.md).
// cks-tray has no third-party libraries (it is also built with mingw-w64 for Windows), so it
// parses the few shapes it reads with this. Values are immutable once parsed; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace cks::tray {

class JsonValue {
 public:
  enum class Type { Null, Bool, Number, String, Array, Object };

  JsonValue() = default;

  // Parses one JSON text (RFC 8259): UTF-8, \u escapes (surrogate pairs included) decoded to
  // UTF-8, nesting at most 64 deep. The error names the byte offset of the problem.
  [[nodiscard]] static Result<JsonValue> parse(std::string_view text);

  [[nodiscard]] Type type() const { return type_; }
  [[nodiscard]] bool isNull() const { return type_ == Type::Null; }
  [[nodiscard]] bool isObject() const { return type_ == Type::Object; }
  [[nodiscard]] bool isArray() const { return type_ == Type::Array; }

  // The member `key` of an object; nullptr when this is not an object or has no such member.
  [[nodiscard]] const JsonValue* find(std::string_view key) const;
  // The member `key`, or a null value when there is none (convenient for optional fields).
  [[nodiscard]] const JsonValue& operator[](std::string_view key) const;
  // The elements of an array (empty for anything else).
  [[nodiscard]] const std::vector<JsonValue>& items() const { return items_; }
  // The members of an object in document order (empty for anything else).
  [[nodiscard]] const std::vector<std::pair<std::string, JsonValue>>& members() const {
    return members_;
  }

  // A string's text; nullopt for any other type.
  [[nodiscard]] std::optional<std::string> asString() const;
  // A number that is an integer in the int64 range (no fraction, no exponent); else nullopt.
  [[nodiscard]] std::optional<std::int64_t> asInt() const;
  [[nodiscard]] std::optional<bool> asBool() const;

 private:
  friend class JsonParser;

  Type type_ = Type::Null;
  bool boolean_ = false;
  std::string text_;  // a string's decoded text, or a number's literal
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// `text` as a JSON string literal with quotes (for request bodies).
[[nodiscard]] std::string jsonQuote(std::string_view text);

}  // namespace cks::tray
