#include "sync/protocol/json_text.h"

#include <sstream>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

namespace cks::sync {

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out, 0, -1, Poco::JSON_WRAP_STRINGS);
  return out.str();
}

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string stringify(const Poco::JSON::Array& array) {
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

std::string stringMapJson(const std::map<std::string, std::string>& map) {
  Poco::JSON::Object object;
  for (const auto& [key, value] : map) object.set(key, value);
  return stringify(object);
}

std::map<std::string, std::string> stringMapOf(const std::string& json) {
  std::map<std::string, std::string> map;
  try {
    const auto object = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [key, value] : *object) {
      if (value.isString()) map[key] = value.extract<std::string>();
    }
  } catch (const Poco::Exception&) {
    map.clear();
  }
  return map;
}

}  // namespace cks::sync
