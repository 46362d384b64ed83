#include "hub/admin/admin_session.h"

#include "core/prefix_match.h"
#include "core/text_table.h"
#include "core/time_format.h"
#include "hub/hub_messages.h"
#include "platform/host.h"
#include "sync/protocol/inventory_json.h"

namespace cks::hub {

std::optional<std::string> AdminArgs::value(std::string_view option) const {
  const auto found = values.find(option);
  if (found == values.end()) return std::nullopt;
  return found->second;
}

std::optional<int> AdminSession::openStore() {
  // The hub creates its store on its first start; an admin command on a path that holds none
  // is a wrong [store] url, and an empty store there would hide it ("no agents").
  const auto exists = hubStoreExists(config.store);
  if (!exists) return runtimeError(exists.error());
  if (!*exists) return usageError(text("store.missing", {config.store.path}));
  auto store = openHubStore(config.store);
  if (!store) return runtimeError(store.error());
  store_ = std::move(*store);
  return std::nullopt;
}

std::string AdminSession::actor() {
  return "cli:" + platform::userName().value_or(platform::userId());
}

std::string AdminSession::text(std::string_view key,
                               std::initializer_list<std::string_view> args) const {
  return hubMessage(language, key, args);
}

std::string AdminSession::renderTable(const std::vector<std::vector<std::string>>& rows,
                                      std::initializer_list<size_t> flexible,
                                      std::initializer_list<size_t> fixed) const {
  if (rows.empty()) return {};
  TextTable table(rows.front());
  for (const size_t column : flexible) table.flexible(column);
  for (const size_t column : fixed) table.fixed(column);
  // Dates and times stay whole ("05/12/2026 18:34" is 16 columns).
  for (size_t column = 0; column < rows.front().size(); ++column) {
    bool all_times = rows.size() > 1;
    for (size_t r = 1; r < rows.size() && all_times; ++r) {
      const std::string& cell = column < rows[r].size() ? rows[r][column] : "";
      all_times = cell.empty() || (cell.size() >= 10 && cell[2] == '/' && cell[5] == '/');
    }
    if (all_times) table.fixed(column);
  }
  for (size_t r = 1; r < rows.size(); ++r) table.addRow(rows[r]);
  return table.render(table_width_);
}

std::string AdminSession::shownTime(TimePoint at) const {
  return formatLocalDateTime(at, config.display_zone);
}

std::string AdminSession::shownDate(TimePoint at) const {
  return formatLocalDate(at, config.display_zone);
}

std::string AdminSession::shownId(const std::string& id) const {
  return table_width_ == 0 ? id : id.substr(0, kShortestPrefix);
}

int AdminSession::printJson(const Poco::Dynamic::Var& json) {
  out << sync::stringify(json) << '\n';
  return 0;
}

int AdminSession::runtimeError(const Error& error) {
  err << "cks-hub: " << error.message << '\n';
  return exitCode(ErrorCode::Internal);
}

int AdminSession::usageError(const std::string& message) {
  err << "cks-hub: " << message << '\n';
  return exitCode(ErrorCode::InvalidArgument);
}

int AdminSession::failed(const Error& error) {
  return error.code == ErrorCode::InvalidArgument ? usageError(error.message) : runtimeError(error);
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace cks::hub
