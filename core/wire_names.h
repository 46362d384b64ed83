// Enum ⇄ wire name tables: each domain type keeps one constexpr array of {value, "name"} pairs
// and looks both ways through these, so a name is written once (core/alert.cc, core/request.cc).
#pragma once

#include <string_view>
#include <vector>

namespace cks::wire {

// The name of `value` in `table`, "unknown" for a value the table lacks.
template <typename Table, typename Value>
[[nodiscard]] std::string_view nameOf(const Table& table, Value value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

// The value named `name`; false (and `out` untouched) for an unknown name.
template <typename Table, typename Value>
[[nodiscard]] bool valueOf(const Table& table, std::string_view name, Value& out) {
  for (const auto& [v, n] : table) {
    if (n == name) {
      out = v;
      return true;
    }
  }
  return false;
}

// Every value of `table`, in its order.
template <typename Table>
[[nodiscard]] auto allOf(const Table& table) {
  std::vector<typename Table::value_type::first_type> values;
  for (const auto& [v, name] : table) values.push_back(v);
  return values;
}

}  // namespace cks::wire
