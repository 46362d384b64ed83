// Keyset paging, shared by the store's lists: the ORDER BY of a list and the condition "after
// the cursor's row" are built from one list of sort columns, and a cursor carries the last
// row's values of those columns (never an offset). Internal to hub/store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hub/store/records.h"

namespace cks::hub::sql {

// One column (or text expression) of a list's order. Every column of a keyset order is text,
// so that SQLite and PostgreSQL compare cursor values the same way (byte order).
struct SortColumn {
  std::string expression;
  bool descending = false;
};

// "e1, e2 DESC, …" for ORDER BY.
[[nodiscard]] std::string orderBy(const std::vector<SortColumn>& order);

// "(e1 > ?n OR (e1 = ?n AND (e2 < ?n+1 OR …)))": the rows after the one whose values are bound
// to ?n … ?n+k-1 (k: the number of columns), in `order`.
[[nodiscard]] std::string after(const std::vector<SortColumn>& order, int first_parameter);

// The number of rows a page holds (PageRequest::limit, 0 or too many: kMostPageRows).
[[nodiscard]] int pageRows(const PageRequest& page);

// A cursor of list `list` (its name and order, e.g. "certificates/not_after") after the row
// whose sort values are `values`.
[[nodiscard]] std::string encodeCursor(std::string_view list,
                                       const std::vector<std::string>& values);

// The sort values `cursor` holds: none for "", InvalidArgument for text that is not a cursor
// of `list` with `columns` values.
[[nodiscard]] Result<std::vector<std::string>> decodeCursor(std::string_view list,
                                                            std::string_view cursor,
                                                            size_t columns);

}  // namespace cks::hub::sql
