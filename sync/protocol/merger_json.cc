#include "sync/protocol/merger_json.h"

#include <Poco/JSON/Array.h>

namespace cks::sync {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr unitJson(const MergerUnit& unit) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("code", unit.code);
  o->set("name", unit.name);
  return o;
}

// A string member; absent or null reads as empty, any other type is an error.
Result<std::string> text(const Object::Ptr& o, const std::string& key, const std::string& where) {
  if (!o->has(key) || o->isNull(key)) return std::string();
  const auto value = o->get(key);
  if (!value.isString()) return fail(where, key, ": expected a string");
  return value.extract<std::string>();
}

Result<MergerUnit> parseUnit(const Object::Ptr& o, const std::string& where) {
  if (!o) return fail(where, ": expected an object {\"code\", \"name\"}");
  MergerUnit unit;
  auto code = text(o, "code", where + ".");
  if (!code) return tl::unexpected(code.error());
  auto name = text(o, "name", where + ".");
  if (!name) return tl::unexpected(name.error());
  unit.code = *code;
  unit.name = *name;
  return unit;
}

}  // namespace

Object::Ptr mergerJson(const Merger& merger) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", merger.id);
  o->set("into", unitJson(merger.into));
  Array::Ptr from = new Array;
  for (const MergerUnit& unit : merger.from) from->add(unitJson(unit));
  o->set("from", from);
  o->set("keep", merger.keep.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(merger.keep));
  o->set("decision",
         merger.decision.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(merger.decision));
  return o;
}

Result<Merger> parseMerger(const Object::Ptr& o) {
  if (!o) return fail("merger: expected an object");
  Merger merger;
  try {
    auto id = text(o, "id", "");
    if (!id) return tl::unexpected(id.error());
    merger.id = *id;
    auto into = parseUnit(o->getObject("into"), "into");
    if (!into) return tl::unexpected(into.error());
    merger.into = *into;
    const auto from = o->getArray("from");
    if (!from) return fail("from: expected an array of {\"code\", \"name\"}");
    for (size_t i = 0; i < from->size(); ++i) {
      auto unit = parseUnit(from->getObject(unsigned(i)), "from[" + std::to_string(i) + "]");
      if (!unit) return tl::unexpected(unit.error());
      merger.from.push_back(*unit);
    }
    auto keep = text(o, "keep", "");
    if (!keep) return tl::unexpected(keep.error());
    merger.keep = *keep;
    auto decision = text(o, "decision", "");
    if (!decision) return tl::unexpected(decision.error());
    merger.decision = *decision;
  } catch (const Poco::Exception& e) {
    return fail("merger: ", e.displayText());
  }
  return merger;
}

}  // namespace cks::sync
