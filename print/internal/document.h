// A report laid out for print (docs/report.md, "Province side"): a heading, then sections, each
// with a few tables of text and number cells. report_documents.cc builds one from a report; the
// PDF and the XLSX writers render the same document, so both files always say the same thing.
// Plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cks::print::internal {

// A text cell, or a number (an XLSX number cell; printed without a decimal point when whole).
struct Cell {
  std::string text;
  std::optional<double> number;
  bool bold = false;  // a total line

  static Cell of(std::string value) { return {std::move(value), std::nullopt, false}; }
  static Cell of(const char* value) { return {value, std::nullopt, false}; }
  static Cell of(int value) { return {{}, double(value), false}; }
  static Cell of(long value) { return {{}, double(value), false}; }
  static Cell of(double value) { return {{}, value, false}; }
};

struct Column {
  std::string header;
  double width = 1;  // relative on the page; characters × 2 in the sheet
};

struct Table {
  std::string caption;  // may be empty
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

// One sheet of the workbook; one titled part of the PDF.
struct Section {
  std::string sheet;  // at most 31 characters, none of []:*?/\ (Excel's rules)
  std::string title;
  std::vector<std::string> paragraphs;  // before the tables
  std::vector<Table> tables;
};

// The close of an official report: the place and date, the signer's title, the note on how to
// sign, and the signer's name when known (space is left for the signature and the seal).
struct Signature {
  std::string place_date;  // italic: "Đà Nẵng, ngày 05 tháng 12 năm 2026"
  std::string title;       // bold: "THỦ TRƯỞNG CƠ QUAN"
  std::string note;        // italic: "(Ký, ghi rõ họ tên, đóng dấu)"
  std::string name;        // may be empty
};

struct Document {
  std::string issuer_above;  // left heading, first line (the body above the issuer); may be empty
  std::string issuer;        // left heading, bold (printed in capitals)
  std::string issuer_note;   // under the rule (the agency code); may be empty
  std::string national_name;
  std::string national_motto;
  std::string date_line;    // right, italic: "ngày 15 tháng 01 năm 2027"
  std::string title;        // printed in capitals
  std::string subtitle;     // "(Số liệu tính đến …)"
  std::string author;       // PDF metadata
  std::string issuer_line;  // the workbook's printed page header: who issues it
  std::vector<Section> sections;
  Signature signature;  // the PDF's close; none when its title is empty
};

}  // namespace cks::print::internal
