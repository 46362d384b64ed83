// `agencies`: the province's agency directory (hub/province/agency_service.h).
#include <fstream>
#include <sstream>

#include "core/labels.h"
#include "hub/admin/admin_session.h"
#include "hub/hub_messages.h"
#include "hub/province/agency_service.h"
#include "hub/province/view_json.h"

namespace cks::hub {
namespace {

// `agencies import FILE.csv|FILE.xlsx`: creates or updates the directory from a file, all rows
// or none; every problem is told with its line (a workbook's: its row).
int importAgencies(AdminSession& session, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  if (!file || !(content << file.rdbuf())) {
    return session.usageError(session.text("agencies.unreadable", {path}));
  }
  auto imported = AgencyService(session.province()).importFile(content.str(), path);
  if (!imported) return session.failed(imported.error());
  if (!imported->problems.empty()) {
    for (const auto& p : imported->problems) {
      // Views of p.args themselves (a `?:` with "" would make a temporary std::string).
      auto arg = [&](size_t i) -> std::string_view {
        return i < p.args.size() ? std::string_view(p.args[i]) : std::string_view();
      };
      session.err << "cks-hub: " << path << ':' << p.line << ": "
                  << hubMessage(session.language, p.key, {arg(0), arg(1)}) << '\n';
    }
    return session.usageError(session.text("agencies.not_imported", {path}));
  }
  const AgencyImport& counts = imported->counts;
  session.out << session.text("agencies.imported",
                              {std::to_string(imported->rows), path, std::to_string(counts.added),
                               std::to_string(counts.renamed), std::to_string(counts.updated),
                               std::to_string(counts.unchanged)})
              << '\n';
  return 0;
}

// `agencies [--json]` lists the directory; `agencies import FILE` imports one
// (docs/hub.md, "Agency directory").
int agencies(AdminSession& session, const AdminArgs& args) {
  if (args.operands.size() == 2 && args.operands[0] == "import") {
    return importAgencies(session, args.operands[1]);
  }
  if (!args.operands.empty()) return session.usageError(session.text("agencies.usage"));
  auto list = AgencyService(session.province()).list();
  if (!list) return session.failed(list.error());
  if (args.flag("--json")) return session.printJson(arrayOf(*list, agencyJson));
  if (list->empty()) {
    session.out << session.text("agencies.none") << '\n';
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {{session.text("col.code"), session.text("col.name"),
                                                 session.text("col.type"),
                                                 session.text("col.parent")}};
  for (const auto& a : *list) {
    rows.push_back(
        {a.code, a.name, label(a.type.value_or(AgencyType::Other), session.language), a.parent});
  }
  session.out << session.text("agencies.title") << '\n'
              << session.renderTable(rows)
              << session.text("agencies.count", {std::to_string(list->size())}) << '\n';
  return 0;
}

}  // namespace

std::vector<AdminCommand> agencyCommands() { return {{"agencies", {}, true, true, agencies}}; }

}  // namespace cks::hub
