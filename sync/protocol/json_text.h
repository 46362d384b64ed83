// Poco JSON as text: the one way the protocol, the stores and the programs write a JSON value
// compactly (no indent, strings quoted).
#pragma once

#include <map>
#include <string>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace cks::sync {

[[nodiscard]] std::string stringify(const Poco::Dynamic::Var& value);
[[nodiscard]] std::string stringify(const Poco::JSON::Object& object);
[[nodiscard]] std::string stringify(const Poco::JSON::Array& array);

// A map of strings as a JSON object of strings (how the agent's and the hub's stores keep an
// alert's params and a request's fields in one column), and back: {} for text that is not an
// object; a member that is not a string is left out (neither store writes one).
[[nodiscard]] std::string stringMapJson(const std::map<std::string, std::string>& map);
[[nodiscard]] std::map<std::string, std::string> stringMapOf(const std::string& json);

}  // namespace cks::sync
