#include "hub/store/internal/keyset.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "core/text.h"

namespace cks::hub::sql {
namespace {

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string orderBy(const std::vector<SortColumn>& order) {
  std::string out;
  for (const auto& column : order) {
    if (!out.empty()) out += ", ";
    out += column.expression;
    if (column.descending) out += " DESC";
  }
  return out;
}

std::string after(const std::vector<SortColumn>& order, int first_parameter) {
  // Built from the last column outwards: (e_i beyond ?i OR (e_i = ?i AND <rest>)).
  std::string rest;
  for (size_t i = order.size(); i-- > 0;) {
    const std::string parameter = "?" + std::to_string(first_parameter + int(i));
    const std::string beyond =
        order[i].expression + (order[i].descending ? " < " : " > ") + parameter;
    rest = rest.empty() ? beyond
                        : "(" + beyond + " OR (" + order[i].expression + " = " + parameter +
                              " AND " + rest + "))";
  }
  return rest;
}

int pageRows(const PageRequest& page) {
  return page.limit <= 0 ? kMostPageRows : std::min(page.limit, kMostPageRows);
}

// The text is the list's name and each value, each as its length, ':' and its bytes; the
// cursor is that text in hex, so that it travels in a URL or a command line as it is.
std::string encodeCursor(std::string_view list, const std::vector<std::string>& values) {
  std::string plain(list);
  plain.push_back('\n');
  for (const auto& value : values) plain += std::to_string(value.size()) + ':' + value;
  return hexLower({reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size()});
}

Result<std::vector<std::string>> decodeCursor(std::string_view list, std::string_view cursor,
                                              size_t columns) {
  if (cursor.empty()) return std::vector<std::string>{};
  const auto bad = [&] {
    return fail(ErrorCode::InvalidArgument, "store: not a cursor of ", std::string(list), ": ",
                std::string(cursor.substr(0, 40)));
  };
  if (cursor.size() % 2 != 0) return bad();
  std::string plain;
  plain.reserve(cursor.size() / 2);
  for (size_t i = 0; i < cursor.size(); i += 2) {
    const int high = hexDigit(cursor[i]);
    const int low = hexDigit(cursor[i + 1]);
    if (high < 0 || low < 0) return bad();
    plain.push_back(char(high * 16 + low));
  }
  const std::string prefix = std::string(list) + '\n';
  if (plain.compare(0, prefix.size(), prefix) != 0) return bad();
  std::vector<std::string> values;
  size_t at = prefix.size();
  while (at < plain.size()) {
    const size_t colon = plain.find(':', at);
    if (colon == std::string::npos || colon == at || colon - at > 9) return bad();
    std::uint64_t length = 0;
    for (size_t i = at; i < colon; ++i) {
      if (plain[i] < '0' || plain[i] > '9') return bad();
      length = length * 10 + std::uint64_t(plain[i] - '0');
    }
    if (length > plain.size() - colon - 1) return bad();
    values.push_back(plain.substr(colon + 1, length));
    at = colon + 1 + length;
  }
  if (values.size() != columns) return bad();
  return values;
}

std::string Statement::bind(SqlValue value) {
  params_.push_back(std::move(value));
  return "?" + std::to_string(params_.size());
}

void Statement::after(const std::vector<SortColumn>& order, std::vector<std::string> last) {
  if (last.empty()) return;
  // The first column's bound again, alone: neither SQLite nor PostgreSQL starts an index range
  // at an OR, so without it a later page walks the order's index from its first row.
  const std::string first = "?" + std::to_string(params_.size() + 1);
  text_ += "AND " + order.front().expression + (order.front().descending ? " <= " : " >= ") +
           first + " AND " + sql::after(order, int(params_.size()) + 1) + " ";
  for (auto& value : last) params_.emplace_back(std::move(value));
}

}  // namespace cks::hub::sql
