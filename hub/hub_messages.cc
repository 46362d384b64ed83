#include "hub/hub_messages.h"

#include <algorithm>

namespace cks::hub {
namespace {

struct Entry {
  std::string_view key;
  std::string_view vi;
  std::string_view en;
};

// Sorted by key (checked by a test) so lookup is a binary search.
constexpr Entry kCatalogue[] = {
    {"admin.usage",
     "Cách dùng: cks-hub [--config TỆP] [--lang vi|en] admin LỆNH [tùy chọn]\n"
     "Lệnh:\n"
     "  server-ca                                   in chứng thư CA máy chủ (máy trạm tin cậy "
     "CA này)\n"
     "  enroll-code --agency MÃ [--name \"TÊN\"] [--ttl 72h]\n"
     "                                              tạo mã đăng ký dùng một lần cho một cơ "
     "quan\n"
     "  agents [--json]                             các máy trạm đã đăng ký\n"
     "  inventory --agency MÃ [--json]              chứng thư số của một cơ quan\n"
     "  tokens --agency MÃ [--json]                 token của một cơ quan\n"
     "  revoke --agent ID                           thu hồi một máy trạm\n"
     "Mã thoát: 0 thành công, 1 lỗi khi chạy, 2 sai cách dùng hoặc cấu hình.",
     "Usage: cks-hub [--config FILE] [--lang vi|en] admin COMMAND [options]\n"
     "Commands:\n"
     "  server-ca                                   print the server CA certificate (agents "
     "trust it)\n"
     "  enroll-code --agency CODE [--name \"NAME\"] [--ttl 72h]\n"
     "                                              make a single-use enrolment code for an "
     "agency\n"
     "  agents [--json]                             enrolled agents\n"
     "  inventory --agency CODE [--json]            an agency's certificates\n"
     "  tokens --agency CODE [--json]               an agency's tokens\n"
     "  revoke --agent ID                           revoke an agent\n"
     "Exit codes: 0 success, 1 runtime error, 2 usage or configuration error."},
    {"agency.unknown", "Hub chưa có cơ quan mã {0}.", "This hub has no agency with code {0}."},
    {"agent.revoked", "Đã thu hồi máy trạm {0}; từ nay hub từ chối mọi kết nối của máy này.",
     "Agent {0} is revoked; the hub refuses its connections from now on."},
    {"agent.unknown", "Hub không có máy trạm {0}.", "This hub has no agent {0}."},
    {"agents.count", "Tổng cộng {0} máy trạm.", "{0} agent(s) in total."},
    {"agents.none", "Chưa có máy trạm nào đăng ký.", "No agent has enrolled yet."},
    {"agents.title", "Máy trạm cks-agent đã đăng ký", "Enrolled cks-agent machines"},
    {"bad_agency", "Mã định danh cơ quan không hợp lệ: {0}", "Invalid agency code: {0}"},
    {"bad_language", "Ngôn ngữ không hỗ trợ: \"{0}\" (dùng vi hoặc en)",
     "Unsupported language: \"{0}\" (use vi or en)"},
    {"bad_ttl", "Giá trị --ttl không hợp lệ: \"{0}\" (ví dụ 30m, 72h, 7d; tối đa 30 ngày)",
     "Invalid --ttl value: \"{0}\" (e.g. 30m, 72h, 7d; at most 30 days)"},
    {"certs.count", "Tổng cộng {0} chứng thư số.", "{0} certificate(s) in total."},
    {"certs.none", "Hub chưa nhận được chứng thư số nào của cơ quan này.",
     "The hub has received no certificate of this agency yet."},
    {"certs.title", "Chứng thư số của {0} ({1})", "Certificates of {0} ({1})"},
    {"certstatus.expired", "Đã hết hạn", "Expired"},
    {"certstatus.expiring", "Sắp hết hạn", "Expiring"},
    {"certstatus.not_yet_valid", "Chưa có hiệu lực", "Not yet valid"},
    {"certstatus.unparseable", "Không đọc được", "Unreadable"},
    {"certstatus.valid", "Còn hiệu lực", "Valid"},
    {"col.agency", "Cơ quan", "Agency"},
    {"col.agent_id", "Mã máy trạm", "Agent id"},
    {"col.backlog", "Chờ gửi", "Backlog"},
    {"col.certs", "Số CTS", "Certs"},
    {"col.clock_offset", "Lệch giờ (giây)", "Clock offset (s)"},
    {"col.days_left", "Còn (ngày)", "Days left"},
    {"col.expires", "Hết hạn", "Expires"},
    {"col.holder", "Chủ thể", "Holder"},
    {"col.host", "Tên máy", "Host"},
    {"col.kind", "Loại", "Kind"},
    {"col.label", "Nhãn", "Label"},
    {"col.last_contact", "Liên lạc gần nhất", "Last contact"},
    {"col.last_seq", "Đã nhận đến", "Last seq"},
    {"col.manufacturer", "Hãng", "Manufacturer"},
    {"col.pin", "Trạng thái PIN", "PIN state"},
    {"col.present", "Đang cắm", "Plugged in"},
    {"col.serial", "Số serial", "Serial"},
    {"col.status", "Trạng thái", "Status"},
    {"col.token", "Token", "Token"},
    {"col.urgent", "Khẩn đã nhận đến", "Urgent seq"},
    {"col.version", "Phiên bản", "Version"},
    {"config_error", "Lỗi cấu hình: {0}", "Configuration error: {0}"},
    {"enroll_code.issued",
     "Mã đăng ký dùng một lần cho {0} ({1}), hết hạn lúc {2} (giờ UTC). Cán bộ CNTT nhập mã "
     "này khi chạy cksctl enroll:",
     "Single-use enrolment code for {0} ({1}), expires at {2} (UTC). The IT officer enters it "
     "in cksctl enroll:"},
    {"error", "Lỗi: {0}", "Error: {0}"},
    {"kind.device", "Thiết bị/dịch vụ", "Device/service"},
    {"kind.individual", "Cá nhân", "Individual"},
    {"kind.organization", "Tổ chức", "Organisation"},
    {"kind.unknown", "Chưa xác định", "Unknown"},
    {"missing_command", "Thiếu lệnh (server-ca, enroll-code, agents, inventory, tokens, revoke)",
     "No command given (server-ca, enroll-code, agents, inventory, tokens, revoke)"},
    {"missing_option", "Lệnh {0} cần tùy chọn {1}", "Command {0} needs option {1}"},
    {"missing_value", "Thiếu giá trị cho {0}", "Missing value for {0}"},
    {"name_required", "Cơ quan {0} chưa có trên hub: hãy cho biết tên bằng --name \"…\"",
     "Agency {0} is new to this hub: give its name with --name \"…\""},
    {"never", "chưa", "never"},
    {"no", "không", "no"},
    {"pin.count_low", "Đã nhập sai PIN", "Wrong PIN entered"},
    {"pin.final_try", "Còn 1 lần thử PIN", "One PIN try left"},
    {"pin.locked", "Đã khóa PIN", "PIN locked"},
    {"pin.ok", "Bình thường", "OK"},
    {"pin.unknown", "Không rõ", "Unknown"},
    {"revoked", "đã thu hồi", "revoked"},
    {"tokens.count", "Tổng cộng {0} token.", "{0} token(s) in total."},
    {"tokens.none", "Hub chưa nhận được token nào của cơ quan này.",
     "The hub has received no token of this agency yet."},
    {"tokens.title", "Token của {0} ({1})", "Tokens of {0} ({1})"},
    {"unknown_command", "Lệnh không hợp lệ: \"{0}\"", "Unknown command: \"{0}\""},
    {"unknown_option", "Tùy chọn không hợp lệ: \"{0}\"", "Unknown option: \"{0}\""},
    {"yes", "có", "yes"},
};

}  // namespace

std::string hubMessage(Language language, std::string_view key,
                       std::initializer_list<std::string_view> args) {
  const auto* found =
      std::lower_bound(std::begin(kCatalogue), std::end(kCatalogue), key,
                       [](const Entry& e, std::string_view k) { return e.key < k; });
  if (found == std::end(kCatalogue) || found->key != key) return "[" + std::string(key) + "]";
  const std::string_view text = language == Language::English ? found->en : found->vi;
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' &&
        text[i + 1] <= '9') {
      const size_t index = size_t(text[i + 1] - '0');
      if (index < args.size()) {
        out += *(args.begin() + index);
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::vector<std::string_view> hubMessageKeys() {
  std::vector<std::string_view> keys;
  for (const auto& entry : kCatalogue) keys.push_back(entry.key);
  return keys;
}

}  // namespace cks::hub
