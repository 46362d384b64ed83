#include "hub/workbook_reader.h"

#include <Poco/Exception.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/XML/XMLString.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <map>
#include <optional>
#include <sstream>

namespace cks::hub {
namespace {

// The most a part of the workbook may inflate to: a directory of every agency of a province is
// a few hundred kilobytes.
constexpr std::streamsize kMostPartBytes = 32 * 1024 * 1024;

Error unreadable(const std::string& why) {
  return Error{"not a readable .xlsx workbook: " + why, ErrorCode::InvalidArgument};
}

// The part `name` of the archive inflated; nullopt when the archive has none.
Result<std::optional<std::string>> part(std::istream& archive_stream,
                                        const Poco::Zip::ZipArchive& archive,
                                        const std::string& name) {
  const auto header = archive.findHeader(name);
  if (header == archive.headerEnd()) return std::optional<std::string>();
  Poco::Zip::ZipInputStream in(archive_stream, header->second);
  std::string out;
  char buffer[16384];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    out.append(buffer, size_t(in.gcount()));
    if (std::streamsize(out.size()) > kMostPartBytes) {
      return tl::unexpected(unreadable(name + " is larger than " +
                                       std::to_string(kMostPartBytes / (1024 * 1024)) + " MiB"));
    }
  }
  return std::optional<std::string>(std::move(out));
}

// Calls `element(name, attributes)` at each element's start and `text(name, chars)` with the
// text inside each element (by its local name), with no DTD or external entity read.
class SheetHandler : public Poco::XML::DefaultHandler {
 public:
  using Start = std::function<void(const std::string&, const Poco::XML::Attributes&)>;
  using End = std::function<void(const std::string&, const std::string&)>;
  SheetHandler(Start start, End end) : start_(std::move(start)), end_(std::move(end)) {}

  void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString& local_name,
                    const Poco::XML::XMLString&, const Poco::XML::Attributes& attributes) override {
    text_.clear();
    start_(local_name, attributes);
  }
  void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString& local_name,
                  const Poco::XML::XMLString&) override {
    end_(local_name, text_);
    text_.clear();
  }
  void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
    text_.append(ch + start, size_t(length));
  }

 private:
  Start start_;
  End end_;
  std::string text_;
};

Status parseXml(const std::string& xml, const std::string& name, SheetHandler& handler) {
  try {
    Poco::XML::SAXParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
    parser.setContentHandler(&handler);
    parser.parseMemoryNP(xml.data(), xml.size());
  } catch (const Poco::Exception& e) {
    return tl::unexpected(unreadable(name + ": " + e.displayText()));
  }
  return ok();
}

std::string attribute(const Poco::XML::Attributes& attributes, const std::string& local_name) {
  for (int i = 0; i < attributes.getLength(); ++i) {
    if (attributes.getLocalName(i) == local_name) return attributes.getValue(i);
  }
  return "";
}

// The column of a cell reference ("C7" → 2), -1 when it has no letters.
int columnOf(const std::string& reference) {
  int column = 0;
  size_t i = 0;
  for (; i < reference.size() && reference[i] >= 'A' && reference[i] <= 'Z'; ++i) {
    column = column * 26 + (reference[i] - 'A' + 1);
    if (column > 16384) return -1;  // Excel's last column is XFD
  }
  return i == 0 ? -1 : column - 1;
}

// The part of the workbook's first sheet: workbook.xml names the sheets in order with a
// relationship id each, workbook.xml.rels gives each id its part.
Result<std::string> firstSheetPart(std::istream& stream, const Poco::Zip::ZipArchive& archive) {
  auto workbook = part(stream, archive, "xl/workbook.xml");
  if (!workbook) return tl::unexpected(workbook.error());
  if (!*workbook) return tl::unexpected(unreadable("it has no xl/workbook.xml"));
  std::string first_id;
  SheetHandler sheets(
      [&](const std::string& name, const Poco::XML::Attributes& attributes) {
        if (name == "sheet" && first_id.empty()) first_id = attribute(attributes, "id");
      },
      [](const std::string&, const std::string&) {});
  CKS_TRY(parseXml(**workbook, "xl/workbook.xml", sheets));
  if (first_id.empty()) return tl::unexpected(unreadable("its workbook has no sheet"));
  auto relations = part(stream, archive, "xl/_rels/workbook.xml.rels");
  if (!relations) return tl::unexpected(relations.error());
  std::string target;
  if (*relations) {
    SheetHandler links(
        [&](const std::string& name, const Poco::XML::Attributes& attributes) {
          if (name == "Relationship" && attribute(attributes, "Id") == first_id) {
            target = attribute(attributes, "Target");
          }
        },
        [](const std::string&, const std::string&) {});
    CKS_TRY(parseXml(**relations, "xl/_rels/workbook.xml.rels", links));
  }
  if (target.empty()) return std::string("xl/worksheets/sheet1.xml");
  // Relative to xl/, or absolute from the archive's root.
  return target.front() == '/' ? target.substr(1) : "xl/" + target;
}

}  // namespace

bool looksLikeWorkbook(std::string_view bytes) { return bytes.substr(0, 4) == "PK\x03\x04"; }

Result<std::vector<SheetRow>> readFirstSheet(std::string_view bytes) {
  if (!looksLikeWorkbook(bytes)) return tl::unexpected(unreadable("it is not a ZIP archive"));
  std::istringstream stream{std::string(bytes)};
  std::optional<Poco::Zip::ZipArchive> archive;
  try {
    archive.emplace(stream);
  } catch (const Poco::Exception& e) {
    return tl::unexpected(unreadable(e.displayText()));
  }
  try {
    auto sheet_name = firstSheetPart(stream, *archive);
    if (!sheet_name) return tl::unexpected(sheet_name.error());
    auto sheet = part(stream, *archive, *sheet_name);
    if (!sheet) return tl::unexpected(sheet.error());
    if (!*sheet) return tl::unexpected(unreadable("it has no " + *sheet_name));

    // The shared strings (a workbook of numbers only has none): each <si>'s text, its rich
    // text runs joined, without the phonetic guides (<rPh>).
    std::vector<std::string> shared;
    auto strings = part(stream, *archive, "xl/sharedStrings.xml");
    if (!strings) return tl::unexpected(strings.error());
    if (*strings) {
      std::string current;
      bool phonetic = false;
      SheetHandler handler(
          [&](const std::string& name, const Poco::XML::Attributes&) {
            if (name == "si") current.clear();
            if (name == "rPh") phonetic = true;
          },
          [&](const std::string& name, const std::string& text) {
            if (name == "t" && !phonetic) current += text;
            if (name == "rPh") phonetic = false;
            if (name == "si") shared.push_back(current);
          });
      CKS_TRY(parseXml(**strings, "xl/sharedStrings.xml", handler));
    }

    std::vector<SheetRow> rows;
    std::optional<Error> bad;
    SheetRow row;
    int column = -1;
    std::string type;
    std::string value;
    bool in_inline = false;
    SheetHandler handler(
        [&](const std::string& name, const Poco::XML::Attributes& attributes) {
          if (name == "row") {
            const std::string number = attribute(attributes, "r");
            row = SheetRow{number.empty() ? (rows.empty() ? 1 : rows.back().number + 1)
                                          : std::atoi(number.c_str()),
                           {}};
          } else if (name == "c") {
            const std::string reference = attribute(attributes, "r");
            column = reference.empty() ? int(row.cells.size()) : columnOf(reference);
            type = attribute(attributes, "t");
            value.clear();
          } else if (name == "is") {
            in_inline = true;
          }
        },
        [&](const std::string& name, const std::string& text) {
          if (name == "v" || (name == "t" && in_inline)) value += text;
          if (name == "is") in_inline = false;
          if (name == "c") {
            if (column < 0) {
              if (!bad)
                bad = unreadable("a cell of row " + std::to_string(row.number) + " has no column");
              return;
            }
            std::string shown = value;
            if (type == "s") {
              const size_t index = size_t(std::strtoul(value.c_str(), nullptr, 10));
              if (value.empty() || index >= shared.size()) {
                if (!bad)
                  bad = unreadable("row " + std::to_string(row.number) +
                                   " names a shared string it does not have");
                return;
              }
              shown = shared[index];
            } else if (type == "b") {
              shown = value == "1" ? "TRUE" : "FALSE";
            }
            if (row.cells.size() <= size_t(column)) row.cells.resize(size_t(column) + 1);
            row.cells[size_t(column)] = shown;
          }
          if (name == "row" && !row.cells.empty()) rows.push_back(std::move(row));
        });
    CKS_TRY(parseXml(**sheet, *sheet_name, handler));
    if (bad) return tl::unexpected(*bad);
    return rows;
  } catch (const Poco::Exception& e) {
    return tl::unexpected(unreadable(e.displayText()));
  }
}

}  // namespace cks::hub
