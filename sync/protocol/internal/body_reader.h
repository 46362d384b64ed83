// Reads the typed fields of a pushed entry's body (entry_bodies.cc, alert_entry.cc, …)
// and keeps the first problem with the field's path ("entries[3].body.alert.kind: missing"), so
// that a refused push names what was wrong. Used on one thread by one entry at a time.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/time_format.h"

namespace cks::sync::internal {

class BodyReader {
 public:
  // Problems go to `error` (shared by the readers of nested objects); only the first is kept.
  BodyReader(Poco::JSON::Object::Ptr object, std::string path, std::string& error)
      : object_(std::move(object)), path_(std::move(path)), error_(error) {}

  std::optional<std::string> string(const std::string& key, bool required) {
    const auto value = get(key, required);
    if (value.isEmpty()) return std::nullopt;
    if (!value.isString()) return problem(key, "expected a string"), std::nullopt;
    return value.extract<std::string>();
  }

  std::string requiredString(const std::string& key) { return string(key, true).value_or(""); }

  // An integer within [lowest, highest]; a JSON boolean is not one.
  std::optional<std::int64_t> integer(const std::string& key, bool required, std::int64_t lowest,
                                      std::int64_t highest) {
    const auto value = get(key, required);
    if (value.isEmpty()) return std::nullopt;
    if (value.isBoolean() || !value.isInteger()) {
      return problem(key, "expected an integer"), std::nullopt;
    }
    std::int64_t number = 0;
    try {
      number = value.convert<std::int64_t>();
    } catch (const Poco::Exception&) {
      return problem(key, "integer out of range"), std::nullopt;
    }
    if (number < lowest || number > highest) {
      return problem(key, "must be between " + std::to_string(lowest) + " and " +
                              std::to_string(highest)),
             std::nullopt;
    }
    return number;
  }

  bool boolean(const std::string& key) {
    const auto value = get(key, true);
    if (value.isEmpty()) return false;
    if (!value.isBoolean()) return problem(key, "expected true or false"), false;
    return value.extract<bool>();
  }

  std::optional<TimePoint> optionalTime(const std::string& key, bool required) {
    const auto text = string(key, required);
    if (!text) return std::nullopt;
    const auto at = parseIsoUtc(*text);
    if (!at) problem(key, "expected an ISO 8601 UTC time like 2026-11-22T04:50:38Z");
    return at;
  }

  TimePoint time(const std::string& key) { return optionalTime(key, true).value_or(TimePoint{}); }

  std::optional<BodyReader> object(const std::string& key, bool required = true) {
    const auto value = get(key, required);
    if (value.isEmpty()) return std::nullopt;
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
      return problem(key, "expected an object"), std::nullopt;
    }
    return BodyReader(value.extract<Poco::JSON::Object::Ptr>(), field(key), error_);
  }

  // An object whose members are all strings ({} when absent).
  std::map<std::string, std::string> strings(const std::string& key) {
    std::map<std::string, std::string> out;
    auto inner = object(key, false);
    if (!inner) return out;
    for (const auto& [name, value] : *inner->object_) {
      if (!value.isString()) {
        inner->problem(name, "expected a string");
        return {};
      }
      out[name] = value.extract<std::string>();
    }
    return out;
  }

  // Readers for the objects of array `key`.
  std::vector<BodyReader> objects(const std::string& key) {
    std::vector<BodyReader> out;
    const auto value = get(key, true);
    if (value.isEmpty()) return out;
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
      return problem(key, "expected an array"), out;
    }
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    for (unsigned i = 0; i < array->size(); ++i) {
      const std::string path = field(key) + "[" + std::to_string(i) + "]";
      const auto element = array->get(i);
      if (element.type() != typeid(Poco::JSON::Object::Ptr)) {
        if (error_.empty()) error_ = path + ": expected an object";
        return {};
      }
      out.emplace_back(element.extract<Poco::JSON::Object::Ptr>(), path, error_);
    }
    return out;
  }

  void problem(const std::string& key, const std::string& what) {
    if (error_.empty()) error_ = field(key) + ": " + what;
  }
  [[nodiscard]] bool failed() const { return !error_.empty(); }

 private:
  std::string field(const std::string& key) const { return path_ + "." + key; }

  Poco::Dynamic::Var get(const std::string& key, bool required) {
    if (!object_->has(key) || object_->isNull(key)) {
      if (required) problem(key, "missing");
      return {};
    }
    return object_->get(key);
  }

  Poco::JSON::Object::Ptr object_;
  std::string path_;
  std::string& error_;
};

}  // namespace cks::sync::internal
