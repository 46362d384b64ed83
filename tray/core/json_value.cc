#include "tray/core/json_value.h"

#include <charconv>

#include "core/utf8.h"

namespace cks::tray {

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  Result<JsonValue> document() {
    JsonValue value;
    if (!parseValue(value, 0)) return failure();
    skipSpace();
    if (pos_ != text_.size()) {
      error_ = "unexpected text after the value";
      return failure();
    }
    return value;
  }

 private:
  static constexpr int kMaxDepth = 64;

  tl::unexpected<Error> failure() const {
    return fail("json: at byte ", std::to_string(pos_), ": ", error_);
  }

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) {
      error_ = "invalid literal";
      return false;
    }
    pos_ += word.size();
    return true;
  }

  bool parseValue(JsonValue& out, int depth) {
    if (depth > kMaxDepth) {
      error_ = "nested too deeply";
      return false;
    }
    skipSpace();
    if (pos_ >= text_.size()) {
      error_ = "unexpected end";
      return false;
    }
    const char c = text_[pos_];
    switch (c) {
      case '{':
        return parseObject(out, depth);
      case '[':
        return parseArray(out, depth);
      case '"':
        out.type_ = JsonValue::Type::String;
        return parseString(out.text_);
      case 't':
        out.type_ = JsonValue::Type::Bool;
        out.boolean_ = true;
        return literal("true");
      case 'f':
        out.type_ = JsonValue::Type::Bool;
        return literal("false");
      case 'n':
        out.type_ = JsonValue::Type::Null;
        return literal("null");
      default:
        return parseNumber(out);
    }
  }

  bool parseObject(JsonValue& out, int depth) {
    out.type_ = JsonValue::Type::Object;
    ++pos_;  // '{'
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        error_ = "expected a member name";
        return false;
      }
      std::string key;
      if (!parseString(key)) return false;
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') {
        error_ = "expected ':'";
        return false;
      }
      ++pos_;
      JsonValue value;
      if (!parseValue(value, depth + 1)) return false;
      out.members_.emplace_back(std::move(key), std::move(value));
      skipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      error_ = "expected ',' or '}'";
      return false;
    }
  }

  bool parseArray(JsonValue& out, int depth) {
    out.type_ = JsonValue::Type::Array;
    ++pos_;  // '['
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      JsonValue value;
      if (!parseValue(value, depth + 1)) return false;
      out.items_.push_back(std::move(value));
      skipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return true;
      }
      error_ = "expected ',' or ']'";
      return false;
    }
  }

  bool hex4(std::uint32_t& out) {
    if (pos_ + 4 > text_.size()) {
      error_ = "truncated \\u escape";
      return false;
    }
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      out <<= 4;
      if (h >= '0' && h <= '9') {
        out |= std::uint32_t(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        out |= std::uint32_t(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        out |= std::uint32_t(h - 'A' + 10);
      } else {
        error_ = "bad hex digit in \\u escape";
        return false;
      }
    }
    return true;
  }

  bool parseString(std::string& out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= text_.size()) {
        error_ = "unterminated string";
        return false;
      }
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) {
        error_ = "control character in string";
        return false;
      }
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) {
        error_ = "unterminated escape";
        return false;
      }
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") {
              error_ = "lone high surrogate";
              return false;
            }
            pos_ += 2;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) {
              error_ = "bad low surrogate";
              return false;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            error_ = "lone low surrogate";
            return false;
          }
          appendUtf8(char32_t(cp), out);
          break;
        }
        default:
          error_ = "unknown escape";
          return false;
      }
    }
  }

  bool parseNumber(JsonValue& out) {
    const size_t start = pos_;
    auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > from;
    };
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      error_ = "unexpected character";
      return false;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) {
        error_ = "digits expected after '.'";
        return false;
      }
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) {
        error_ = "digits expected in exponent";
        return false;
      }
    }
    out.type_ = JsonValue::Type::Number;
    out.text_ = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

Result<JsonValue> JsonValue::parse(std::string_view text) { return JsonParser(text).document(); }

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const auto& [name, value] : members_) {
    if (name == key) return &value;
  }
  return nullptr;
}

const JsonValue& JsonValue::operator[](std::string_view key) const {
  static const JsonValue kNull;
  const JsonValue* found = find(key);
  return found ? *found : kNull;
}

std::optional<std::string> JsonValue::asString() const {
  if (type_ != Type::String) return std::nullopt;
  return text_;
}

std::optional<std::int64_t> JsonValue::asInt() const {
  if (type_ != Type::Number) return std::nullopt;
  std::int64_t value = 0;
  const char* end = text_.data() + text_.size();
  const auto [ptr, ec] = std::from_chars(text_.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<bool> JsonValue::asBool() const {
  if (type_ != Type::Bool) return std::nullopt;
  return boolean_;
}

std::string jsonQuote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20) {
      out += "\\u00";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace cks::tray
