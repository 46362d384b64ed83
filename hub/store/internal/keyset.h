// How the store's roles build their queries. Keyset paging: the ORDER BY of a list and the
// condition "after the cursor's row" are built from one list of sort columns, and a cursor
// carries the last row's values of those columns (never an offset). Statements: only the
// filters a query uses are written into it. Internal to hub/store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hub/store/connection.h"
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

// A statement built as its query asks: only a condition the query uses is in the text, each
// value bound to the next parameter. ("?1 = '' OR col = ?1" for a filter not asked for makes
// SQLite and PostgreSQL scan the table instead of taking the index the filter has.)
class Statement {
 public:
  explicit Statement(std::string_view start) : text_(start) {}

  // "?n", with `value` bound to n.
  [[nodiscard]] std::string bind(SqlValue value);
  // Appends `sql` as it is.
  Statement& operator+=(std::string_view sql) {
    text_ += sql;
    return *this;
  }
  // Appends "AND <the rows after `last` in `order`> "; nothing for the first page (no values).
  void after(const std::vector<SortColumn>& order, std::vector<std::string> last);

  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] const std::vector<SqlValue>& params() const { return params_; }

 private:
  std::string text_;
  std::vector<SqlValue> params_;
};

}  // namespace cks::hub::sql
