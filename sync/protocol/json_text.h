// Poco JSON as text: the one way the protocol, the stores and the programs write a JSON value
// compactly (no indent, strings quoted).
#pragma once

#include <string>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace cks::sync {

[[nodiscard]] std::string stringify(const Poco::Dynamic::Var& value);
[[nodiscard]] std::string stringify(const Poco::JSON::Object& object);
[[nodiscard]] std::string stringify(const Poco::JSON::Array& array);

}  // namespace cks::sync
