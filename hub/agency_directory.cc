#include "hub/agency_directory.h"

#include <algorithm>
#include <map>
#include <optional>

#include "core/agency_code.h"
#include "core/text.h"
#include "core/utf8.h"
#include "hub/workbook_reader.h"

namespace cks::hub {
namespace {

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return text;
}

// One record of the file and the line it starts on.
struct Record {
  int line = 0;
  std::vector<std::string> fields;
};

// Splits `text` into records (RFC 4180 quoting); false when a quote is left open.
bool splitRecords(std::string_view text, char separator, std::vector<Record>& records,
                  int& open_quote_line) {
  int line = 1;
  Record record{line, {}};
  std::string field;
  bool quoted = false;
  bool any = false;  // the record has a character or a separator
  auto endRecord = [&] {
    record.fields.push_back(field);
    field.clear();
    if (any) records.push_back(std::move(record));
    record = Record{line, {}};
    any = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && trim(field, kSpaces).empty()) {
      field.clear();
      quoted = true;
      any = true;
    } else if (c == separator) {
      record.fields.push_back(field);
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      endRecord();
    } else {
      field.push_back(c);
      if (c != ' ' && c != '\t') any = true;
    }
  }
  if (quoted) {
    open_quote_line = record.line;
    return false;
  }
  endRecord();
  return true;
}

// The directory in `records`, the header first: the same rules whatever the file.
ParsedDirectory directoryOf(const std::vector<Record>& records) {
  ParsedDirectory out;
  auto problem = [&](int line, std::string key, std::vector<std::string> args = {}) {
    out.problems.push_back({line, std::move(key), std::move(args)});
  };
  if (records.empty()) {
    problem(1, "agencies.csv.empty");
    return out;
  }
  // The header: which column holds what.
  std::map<std::string, size_t> column;
  const Record& header = records.front();
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = lowered(std::string(trim(header.fields[i], kSpaces)));
    if (name != "code" && name != "name" && name != "type" && name != "parent") {
      problem(header.line, "agencies.csv.bad_column", {header.fields[i]});
    } else if (!column.emplace(name, i).second) {
      problem(header.line, "agencies.csv.column_twice", {name});
    }
  }
  for (const char* needed : {"code", "name", "type"}) {
    if (!column.count(needed)) problem(header.line, "agencies.csv.missing_column", {needed});
  }
  if (!out.problems.empty()) return out;

  std::map<std::string, int> first_line;  // code -> the line listing it first
  for (size_t r = 1; r < records.size(); ++r) {
    const Record& record = records[r];
    const int line = record.line;
    if (record.fields.size() != header.fields.size()) {
      problem(line, "agencies.csv.field_count",
              {std::to_string(record.fields.size()), std::to_string(header.fields.size())});
      continue;
    }
    auto field = [&](const char* name) -> std::string {
      const auto found = column.find(name);
      return found == column.end() ? std::string()
                                   : std::string(trim(record.fields[found->second], kSpaces));
    };
    const size_t before = out.problems.size();
    Agency agency;
    auto code = AgencyCode::parse(field("code"));
    if (!code) {
      problem(line, "agencies.csv.bad_code", {code.error().message});
    } else {
      agency.code = code->str();
      const auto [listed, inserted] = first_line.emplace(agency.code, line);
      if (!inserted) {
        problem(line, "agencies.csv.code_twice", {agency.code, std::to_string(listed->second)});
      }
    }
    agency.name = field("name");
    if (agency.name.empty()) problem(line, "agencies.csv.no_name");
    const std::string type_text = lowered(field("type"));
    if (AgencyType type{}; parseAgencyType(type_text, type)) {
      agency.type = type;
    } else {
      problem(line, "agencies.csv.bad_type", {field("type")});
    }
    if (const std::string parent = field("parent"); !parent.empty()) {
      auto parent_code = AgencyCode::parse(parent);
      if (!parent_code) {
        problem(line, "agencies.csv.bad_parent", {parent_code.error().message});
      } else if (parent_code->str() == agency.code) {
        problem(line, "agencies.csv.own_parent", {agency.code});
      } else {
        agency.parent = parent_code->str();
      }
    }
    if (out.problems.size() == before) out.agencies.push_back(std::move(agency));
  }
  return out;
}

}  // namespace

ParsedDirectory parseAgencyDirectory(std::string_view csv) {
  ParsedDirectory out;
  auto problem = [&](int line, std::string key, std::vector<std::string> args = {}) {
    out.problems.push_back({line, std::move(key), std::move(args)});
  };
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);  // Excel's byte order mark
  if (!isValidUtf8(csv)) {
    // The first line with a broken sequence, to point at ('\n' is never inside a sequence).
    int line = 1;
    for (size_t start = 0;; ++line) {
      const size_t end = csv.find('\n', start);
      const auto text = csv.substr(start, end == std::string_view::npos ? end : end - start);
      if (!isValidUtf8(text) || end == std::string_view::npos) break;
      start = end + 1;
    }
    problem(line, "agencies.csv.not_utf8");
    return out;
  }
  const std::string_view header_line = csv.substr(0, csv.find_first_of("\r\n"));
  const char separator = header_line.find(',') == std::string_view::npos &&
                                 header_line.find(';') != std::string_view::npos
                             ? ';'
                             : ',';
  std::vector<Record> records;
  int open_quote_line = 0;
  if (!splitRecords(csv, separator, records, open_quote_line)) {
    problem(open_quote_line, "agencies.csv.open_quote");
    return out;
  }
  return directoryOf(records);
}

Result<ParsedDirectory> parseAgencyWorkbook(std::string_view xlsx) {
  auto rows = readFirstSheet(xlsx);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Record> records;
  for (SheetRow& row : *rows) {
    // A row Excel kept for its formatting only holds no agency.
    if (std::all_of(row.cells.begin(), row.cells.end(),
                    [](const std::string& cell) { return trim(cell, kSpaces).empty(); })) {
      continue;
    }
    records.push_back({row.number, std::move(row.cells)});
  }
  // A sheet leaves out the empty cells at a row's end: the rows are as wide as the header, the
  // cells past it only counted when they hold something.
  if (!records.empty()) {
    std::vector<std::string>& header = records.front().fields;
    while (!header.empty() && trim(header.back(), kSpaces).empty()) header.pop_back();
    const size_t width = header.size();
    for (Record& record : records) {
      while (record.fields.size() > width && trim(record.fields.back(), kSpaces).empty()) {
        record.fields.pop_back();
      }
      if (record.fields.size() < width) record.fields.resize(width);
    }
  }
  return directoryOf(records);
}

}  // namespace cks::hub
