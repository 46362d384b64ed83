#include "core/messages.h"

#include <algorithm>
#include <array>

namespace cks {
namespace {

struct Entry {
  std::string_view key;
  std::string_view vi;
  std::string_view en;
};

// Sorted by key (checked by a test) so lookup is a binary search.
constexpr Entry kCatalogue[] = {
    {"alert.advice.done",
     "Sở KH&CN đã hoàn thành đề nghị {0} ({1}) — chờ ghi chứng thư số mới vào token",
     "the province completed the request for {0} ({1}) — the new certificate is yet to be written "
     "to the token"},
    {"alert.advice.filed", "đã lập đề nghị {0} ngày {1} ({2}), không cần lập lại",
     "a request for {0} was filed on {1} ({2}); no need to file another"},
    {"alert.advice.new",
     "cần lập đề nghị cấp mới (không gia hạn được nữa: gia hạn phải lập khi còn ít nhất {0} ngày "
     "và tối đa {1} lần)",
     "file a request for a new certificate (it can no longer be renewed: a renewal is filed at "
     "least {0} days before expiry, at most {1} time(s))"},
    {"alert.advice.new_expired", "cần lập đề nghị cấp mới", "file a request for a new one"},
    {"alert.advice.renew", "cần lập đề nghị gia hạn", "file a renewal request"},
    {"alert.certificate_expired",
     "Chứng thư số của {0} đã hết hạn từ ngày {1} — không ký số được nữa, {2}",
     "The certificate of {0} expired on {1} — it can no longer sign; {2}"},
    {"alert.certificate_expiring", "Chứng thư số của {0} hết hạn sau {1} ngày — {2}",
     "The certificate of {0} expires in {1} days — {2}"},
    {"alert.certificate_unparseable",
     "Token {0} có một chứng thư số không đọc được — hãy báo Sở KH&CN (chi tiết kỹ thuật trong "
     "nhật ký của cks-agent)",
     "Token {0} holds a certificate that cannot be read — tell the province (the technical "
     "detail is in cks-agent's log)"},
    {"alert.clock_offset",
     "Đồng hồ máy tính này lệch {0} giây so với máy chủ của tỉnh — hãy chỉnh lại giờ",
     "This PC's clock is {0} seconds off the province's server — set the time right"},
    {"alert.hub_unreachable",
     "Chưa gửi được dữ liệu về Sở KH&CN từ {0} (quá {1} ngày) — hãy kiểm tra kết nối mạng",
     "Nothing has reached the province since {0} (more than {1} days) — check the network"},
    {"alert.merger_published",
     "Sở KH&CN thông báo sáp nhập {0} thành {1} — hãy lập kế hoạch chứng thư số: cksctl merger "
     "plan",
     "The province announced the merger of {0} into {1} — make the certificate plan: cksctl merger "
     "plan"},
    {"alert.module_failing",
     "Không đọc được token qua thư viện {0}: {1} — hãy kiểm tra phần mềm điều khiển token",
     "Tokens cannot be read through module {0}: {1} — check the token driver"},
    {"alert.module_failing.failed", "thư viện báo lỗi (chi tiết trong nhật ký của cks-agent)",
     "the module reported an error (the detail is in cks-agent's log)"},
    {"alert.module_failing.timeout", "thư viện không trả lời trong thời gian cho phép",
     "the module did not answer in time"},
    {"alert.renewal_deadline",
     "Hạn chót lập đề nghị gia hạn chứng thư số của {0} là ngày {1} (còn {2} ngày)",
     "The last day to file the renewal of the certificate of {0} is {1} ({2} days left)"},
    {"alert.renewal_deadline_handled",
     "Hạn chót lập đề nghị gia hạn chứng thư số của {0} là ngày {1} — {2}",
     "The last day to file the renewal of the certificate of {0} is {1} — {2}"},
    {"alert.renewal_deadline_today",
     "Hôm nay là hạn chót lập đề nghị gia hạn chứng thư số của {0} (hết hạn ngày {1})",
     "Today is the last day to file the renewal of the certificate of {0} (expires on {1})"},
    {"alert.report_due",
     "Chưa gửi báo cáo năm {0} về quản lý, sử dụng chữ ký số cho Sở KH&CN (hạn nộp {1}) — xem "
     "bản nháp: cksctl report draft --year {0}, rồi gửi: cksctl report submit --year {0}",
     "The {0} yearly report on digital signatures has not been sent to the province (due {1}) — "
     "review the draft: cksctl report draft --year {0}, then send it: cksctl report submit "
     "--year {0}"},
    {"alert.request_completed", "Đề nghị {0} đã được xử lý xong", "Request {0} has been completed"},
    {"alert.request_rejected", "Đề nghị {0} bị từ chối: {1} — hãy xem lại và lập đề nghị mới",
     "Request {0} was rejected: {1} — review it and file a new request"},
    {"alert.token_not_seen",
     "Token {0} không được cắm vào máy từ ngày {1} ({2} ngày) — cân nhắc đề nghị thu hồi",
     "Token {0} has not been plugged in since {1} ({2} days) — consider revoking it"},
    {"alert.token_pin_count_low", "Token {0} đã bị nhập sai mã PIN — chú ý, còn ít lần thử",
     "Token {0} has had wrong PIN entries — careful, few tries are left"},
    {"alert.token_pin_final_try",
     "Token {0} chỉ còn một lần nhập mã PIN — nhập sai nữa token sẽ bị khóa",
     "Token {0} has one PIN try left — one more wrong PIN locks it"},
    {"alert.token_pin_locked", "Token {0} đã bị khóa mã PIN — cần lập đề nghị khôi phục thiết bị",
     "Token {0} is PIN-locked — file a token recovery request"},
    {"alerts.acked", "Đã ghi nhận cảnh báo {0}.", "Alert {0} acknowledged."},
    {"alerts.busy",
     "Cảnh báo {0} chưa được cập nhật: kho dữ liệu của cks-agent đang bận (một chương trình khác "
     "đang giữ nó). Hãy thử lại sau ít phút.",
     "Alert {0} was not changed: the agent's store is busy (another program holds it). Try again "
     "in a moment."},
    {"alerts.hint",
     "Ghi nhận: cksctl ack MÃ · tạm hoãn: cksctl snooze MÃ --days N · tất cả: cksctl alerts --all",
     "Acknowledge: cksctl ack ID · snooze: cksctl snooze ID --days N · all: cksctl alerts --all"},
    {"alerts.none", "Không có cảnh báo nào đang mở.", "No open alerts."},
    {"alerts.none_ever", "Chưa có cảnh báo nào.", "No alerts yet."},
    {"alerts.not_found", "Không có cảnh báo mã {0} (xem: cksctl alerts --all).",
     "There is no alert {0} (see: cksctl alerts --all)."},
    {"alerts.resolved", "Cảnh báo {0} đã được giải quyết, không cần ghi nhận nữa.",
     "Alert {0} is already resolved."},
    {"alerts.snoozed", "Đã tạm hoãn cảnh báo {0} đến ngày {1}.", "Alert {0} snoozed until {1}."},
    {"alerts.title", "Cảnh báo", "Alerts"},
    {"alertstate.acknowledged", "Đã ghi nhận", "Acknowledged"},
    {"alertstate.open", "Chưa xử lý", "Open"},
    {"alertstate.resolved", "Đã giải quyết", "Resolved"},
    {"alertstate.snoozed", "Tạm hoãn", "Snoozed"},
    {"certs.count", "Tổng cộng {0} chứng thư số.", "{0} certificate(s) in total."},
    {"certs.none", "Chưa thấy chứng thư số nào.", "No certificates seen yet."},
    {"certs.title", "Chứng thư số", "Certificates"},
    {"certstatus.expired", "Đã hết hạn", "Expired"},
    {"certstatus.expiring", "Sắp hết hạn", "Expiring"},
    {"certstatus.not_yet_valid", "Chưa có hiệu lực", "Not yet valid"},
    {"certstatus.unparseable", "Không đọc được", "Unreadable"},
    {"certstatus.valid", "Còn hiệu lực", "Valid"},
    // The Vietnamese text leaves out {1}, the connection's technical detail (English).
    {"cli.agent_unreachable",
     "Không kết nối được tới dịch vụ cks-agent ({0}). Hãy kiểm tra dịch vụ cks-agent đã chạy chưa "
     "(systemctl status cks-agent, hoặc cksctl doctor).",
     "Cannot reach the cks-agent service ({0}): {1}. Check that cks-agent is running."},
    {"cli.api_error", "cks-agent trả lời lỗi: {0}", "cks-agent answered with an error: {0}"},
    {"cli.bad_alert_id", "Mã cảnh báo không hợp lệ: \"{0}\" (xem cột Mã của: cksctl alerts)",
     "Not an alert ID: \"{0}\" (see the ID column of: cksctl alerts)"},
    {"cli.bad_days", "Giá trị --expiring không hợp lệ: \"{0}\" (cần một số ngày, ví dụ 30)",
     "Invalid --expiring value: \"{0}\" (expected a number of days, e.g. 30)"},
    {"cli.bad_language", "Ngôn ngữ không hỗ trợ: \"{0}\" (dùng vi hoặc en)",
     "Unsupported language: \"{0}\" (use vi or en)"},
    {"cli.bad_set",
     "Giá trị --set không hợp lệ: \"{0}\" (cần TRƯỜNG=GIÁ_TRỊ, ví dụ --set email=a@xa.gov.vn)",
     "Bad --set value: \"{0}\" (expected FIELD=VALUE, e.g. --set email=a@xa.gov.vn)"},
    {"cli.bad_snooze_days", "Giá trị --days không hợp lệ: \"{0}\" (cần từ 1 đến 365 ngày)",
     "Invalid --days: \"{0}\" (a number of days from 1 to 365)"},
    {"cli.config_error", "Lỗi cấu hình: {0}", "Configuration error: {0}"},
    {"cli.detail", "Chi tiết kỹ thuật: {0}", "Technical detail: {0}"},
    {"cli.missing_option", "Thiếu tùy chọn {0}", "Missing option {0}"},
    {"cli.missing_value", "Thiếu giá trị cho {0}", "Missing value for {0}"},
    {"cli.read_file", "Không đọc được tệp {0}", "Cannot read the file {0}"},
    {"cli.secret_denied",
     "Không có quyền đọc khóa bí mật của API cục bộ {0} (permission denied): đây không phải do "
     "dịch vụ cks-agent ngừng chạy. Để người dùng {1} dùng được cksctl, thêm vào nhóm {2}: sudo "
     "usermod -aG {2} {1} (rồi đăng xuất và đăng nhập lại), hoặc chạy lệnh với sudo.",
     "Permission denied reading the local API's secret {0}: this is not the cks-agent service "
     "being down. To let user {1} use cksctl, add them to the group {2}: sudo usermod -aG {2} {1} "
     "(then log out and in again), or run the command with sudo."},
    {"cli.unknown_command", "Lệnh không hợp lệ: \"{0}\"", "Unknown command: \"{0}\""},
    {"cli.unknown_option", "Tùy chọn không hợp lệ: \"{0}\"", "Unknown option: \"{0}\""},
    {"cli.usage",
     "Cách dùng: cksctl [--config TỆP] [--lang vi|en] [--json] [--wide] [--verbose] LỆNH\n"
     "Lệnh:\n"
     "  status                 trạng thái dịch vụ và lần quét gần nhất\n"
     "  doctor                 kiểm tra cấu hình, mô-đun, kho dữ liệu, quyền, đăng ký, hub\n"
     "  tokens                 các thiết bị lưu khóa bí mật (token) đã từng cắm vào máy\n"
     "  certs [--expiring N]   các chứng thư số (chỉ những chứng thư hết hạn trong N ngày)\n"
     "  scan                   quét lại các token ngay bây giờ\n"
     "  enroll --hub URL --code MÃ --hub-ca TỆP [--force]   đăng ký máy này với hub của tỉnh\n"
     "                         (--force: thay đăng ký cũ, ví dụ sau khi bị thu hồi)\n"
     "  sync                   đồng bộ với hub của tỉnh ngay bây giờ\n"
     "  alerts [--all]         các cảnh báo đang mở (tất cả với --all)\n"
     "  ack MÃ                 ghi nhận đã biết cảnh báo\n"
     "  snooze MÃ --days N     tạm hoãn cảnh báo N ngày\n"
     "  request renew --cert DẤU_VÂN_TAY                     lập đề nghị gia hạn (Mẫu 04)\n"
     "  request change --cert DẤU_VÂN_TAY --case TRƯỜNG_HỢP --set TRƯỜNG=GIÁ_TRỊ …\n"
     "                                                       đề nghị thay đổi thông tin (Mẫu 04)\n"
     "  request revoke --cert DẤU_VÂN_TAY --reason LÝ_DO     đề nghị thu hồi (Mẫu 05)\n"
     "  request recover --token SỐ_SERIAL [--unusable]       đề nghị khôi phục token (Mẫu 06)\n"
     "  request new --kind individual|organization|device --set TRƯỜNG=GIÁ_TRỊ …\n"
     "                                                       đề nghị cấp mới (Mẫu 01/02/03)\n"
     "  requests               các đề nghị đã lập và trạng thái của chúng\n"
     "  request show MÃ        chi tiết và quá trình xử lý một đề nghị\n"
     "  request cancel MÃ      hủy đề nghị khi Sở KH&CN chưa tiếp nhận\n"
     "  request form MÃ [MÃ…] -o TỆP.pdf   in mẫu đề nghị (Mẫu 01–06) để trình ký\n"
     "  merger plan --into MÃ --name \"TÊN\" --from MÃ[=TÊN][,MÃ…] [--keep DẤU_VÂN_TAY]\n"
     "              [--unused-days N] [-o TỆP.json]\n"
     "                         lập kế hoạch chứng thư số khi sáp nhập (không nêu --into: theo\n"
     "                         thông báo của Sở KH&CN)\n"
     "  merger apply TỆP.json [--forms THƯ_MỤC]   lập các đề nghị của kế hoạch đã xem lại\n"
     "  report draft --year NĂM [--json]   bản nháp báo cáo năm về chữ ký số\n"
     "  report set --year NĂM TRƯỜNG=GIÁ_TRỊ …   nhập số liệu dự kiến, khó khăn, kiến nghị\n"
     "  report submit --year NĂM   chốt và gửi báo cáo cho Sở KH&CN\n"
     "  report export --year NĂM -o TỆP.pdf|TỆP.xlsx   xuất báo cáo (bản đã gửi, hoặc bản nháp)\n"
     "  --version              phiên bản của cksctl\n"
     "--verbose: kèm chi tiết kỹ thuật khi enroll hoặc sync không thành công.\n"
     "DẤU_VÂN_TAY: 64 chữ số hex, dạng AB:CD:… openssl in ra, hoặc ít nhất 8 chữ số đầu (cột\n"
     "«Dấu vân tay» của certs); MÃ đề nghị: đủ, hoặc ít nhất 8 ký tự đầu. Bảng vừa độ rộng màn\n"
     "hình (biến COLUMNS nếu có); --wide in đầy đủ. Giờ hiển thị theo [display] time_zone.\n"
     "Mã thoát: 0 thành công, 2 sai cách dùng hoặc cấu hình, hoặc đề nghị bị từ chối,\n"
     "3 không kết nối được cks-agent,\n"
     "4 không kết nối được hub của tỉnh.",
     "Usage: cksctl [--config FILE] [--lang vi|en] [--json] [--wide] [--verbose] COMMAND\n"
     "Commands:\n"
     "  status                 service status and the last scan\n"
     "  doctor                 check configuration, modules, store, permissions, enrolment, hub\n"
     "  tokens                 key storage devices (tokens) ever plugged into this PC\n"
     "  certs [--expiring N]   certificates (only those expiring within N days)\n"
     "  scan                   scan the tokens now\n"
     "  enroll --hub URL --code CODE --hub-ca FILE [--force]   enrol with the province's hub\n"
     "                         (--force: replace the old enrolment, e.g. after a revocation)\n"
     "  sync                   sync with the province's hub now\n"
     "  alerts [--all]         open alerts (every alert with --all)\n"
     "  ack ID                 acknowledge an alert\n"
     "  snooze ID --days N     snooze an alert for N days\n"
     "  request renew --cert FINGERPRINT                     file a renewal (form 04)\n"
     "  request change --cert FINGERPRINT --case CASE --set FIELD=VALUE …\n"
     "                                                       file a change of information (04)\n"
     "  request revoke --cert FINGERPRINT --reason REASON    file a revocation (form 05)\n"
     "  request recover --token SERIAL [--unusable]          file a token recovery (form 06)\n"
     "  request new --kind individual|organization|device --set FIELD=VALUE …\n"
     "                                                       file a new certificate (01/02/03)\n"
     "  requests               the requests filed and their states\n"
     "  request show ID        one request with its history\n"
     "  request cancel ID      cancel a request the province has not received\n"
     "  request form ID [ID…] -o FILE.pdf   the official form (01–06) to sign\n"
     "  merger plan --into CODE --name \"NAME\" --from CODE[=NAME][,CODE…] [--keep FINGERPRINT]\n"
     "              [--unused-days N] [-o FILE.json]\n"
     "                         the certificate plan of a merger (without --into: the one the\n"
     "                         province published)\n"
     "  merger apply FILE.json [--forms DIR]   file the requests of the reviewed plan\n"
     "  report draft --year YEAR [--json]   the draft of the yearly report\n"
     "  report set --year YEAR FIELD=VALUE …   enter the plan figures and remarks\n"
     "  report submit --year YEAR   freeze the report and send it to the province\n"
     "  report export --year YEAR -o FILE.pdf|FILE.xlsx   the report as sent (or the draft)\n"
     "  --version              the version of cksctl\n"
     "--verbose: add the technical detail when enroll or sync fails.\n"
     "FINGERPRINT: 64 hex digits, the AB:CD:… form openssl prints, or at least the first 8 digits\n"
     "(the Fingerprint column of certs); request ID: whole, or at least its first 8 characters.\n"
     "Tables fit the terminal (COLUMNS when set); --wide prints them whole. Times are shown in\n"
     "[display] time_zone.\n"
     "Exit codes: 0 success, 2 usage or configuration error, or the request was refused,\n"
     "3 cks-agent not reachable,\n"
     "4 the province's hub not reachable."},
    {"cli.usage.ack", "cksctl ack MÃ: ghi nhận đã biết cảnh báo",
     "cksctl ack ID: acknowledge an alert"},
    {"cli.usage.alerts", "cksctl alerts [--all]: các cảnh báo đang mở (tất cả với --all)",
     "cksctl alerts [--all]: open alerts (every alert with --all)"},
    {"cli.usage.certs",
     "cksctl certs [--expiring N]: các chứng thư số (chỉ những chứng thư hết hạn trong N ngày)",
     "cksctl certs [--expiring N]: certificates (only those expiring within N days)"},
    {"cli.usage.doctor",
     "cksctl doctor: kiểm tra cấu hình, mô-đun, kho dữ liệu, quyền, đăng ký, hub",
     "cksctl doctor: check configuration, modules, store, permissions, enrolment, hub"},
    {"cli.usage.enroll",
     "cksctl enroll --hub URL --code MÃ --hub-ca TỆP [--force]: đăng ký máy này với hub của tỉnh",
     "cksctl enroll --hub URL --code CODE --hub-ca FILE [--force]: enrol with the province's hub"},
    {"cli.usage.merger", "cksctl merger plan|apply …: kế hoạch chứng thư số khi sáp nhập",
     "cksctl merger plan|apply …: the certificate plan of a merger"},
    {"cli.usage.report",
     "cksctl report draft|set|submit|export --year NĂM …: báo cáo năm về chữ ký số",
     "cksctl report draft|set|submit|export --year YEAR …: the yearly report"},
    {"cli.usage.request",
     "cksctl request renew|change|revoke|recover|new|show|cancel|form …: các đề nghị",
     "cksctl request renew|change|revoke|recover|new|show|cancel|form …: requests"},
    {"cli.usage.requests", "cksctl requests: các đề nghị đã lập và trạng thái của chúng",
     "cksctl requests: the requests filed and their states"},
    {"cli.usage.scan", "cksctl scan: quét lại các token ngay bây giờ",
     "cksctl scan: scan the tokens now"},
    {"cli.usage.snooze", "cksctl snooze MÃ --days N: tạm hoãn cảnh báo N ngày",
     "cksctl snooze ID --days N: snooze an alert for N days"},
    {"cli.usage.status", "cksctl status: trạng thái dịch vụ và lần quét gần nhất",
     "cksctl status: service status and the last scan"},
    {"cli.usage.sync", "cksctl sync: đồng bộ với hub của tỉnh ngay bây giờ",
     "cksctl sync: sync with the province's hub now"},
    {"cli.usage.tokens", "cksctl tokens: các thiết bị lưu khóa bí mật (token) đã từng cắm vào máy",
     "cksctl tokens: key storage devices (tokens) ever plugged into this PC"},
    {"col.certs", "Số CTS", "Certs"},
    {"col.days_left", "Còn (ngày)", "Days left"},
    {"col.expires", "Hết hạn", "Expires"},
    {"col.fingerprint", "Dấu vân tay", "Fingerprint"},
    {"col.first_seen", "Thấy lần đầu", "First seen"},
    {"col.holder", "Chủ thể", "Holder"},
    {"col.id", "Mã", "ID"},
    {"col.kind", "Loại", "Kind"},
    {"col.label", "Nhãn", "Label"},
    {"col.last_seen", "Thấy lần cuối", "Last seen"},
    {"col.manufacturer", "Hãng", "Manufacturer"},
    {"col.message", "Nội dung", "Message"},
    {"col.pin", "Trạng thái PIN", "PIN state"},
    {"col.present", "Đang cắm", "Plugged in"},
    {"col.raised", "Thời điểm", "Raised"},
    {"col.serial", "Số serial", "Serial"},
    {"col.severity", "Mức độ", "Severity"},
    {"col.state", "Trạng thái", "State"},
    {"col.status", "Trạng thái", "Status"},
    {"col.token", "Token", "Token"},
    {"config.bad_postgres_url", "địa chỉ PostgreSQL \"{0}\" không hợp lệ (cần {2})",
     "{1} (expected {2})"},
    {"config.bad_value", "giá trị \"{0}\" không hợp lệ (cần {1})",
     "bad value \"{0}\" (expected {1})"},
    {"config.bad_value_because", "giá trị \"{0}\" không hợp lệ (cần {2})",
     "bad value \"{0}\": {1} (expected {2})"},
    {"config.deadline_before_reminder",
     "sớm hơn remind_from (lời nhắc bắt đầu từ ngày remind_from và nêu hạn nộp của cùng năm)",
     "before remind_from (the reminder starts on remind_from and names the deadline of the same "
     "year)"},
    {"config.email.from_missing", "chưa đặt (cần địa chỉ người gửi khi đã đặt server)",
     "missing (the sender's address is required when server is set)"},
    {"config.email.no_recipient", "chưa có người nhận (đặt to, to_critical, … hoặc to.LOẠI)",
     "no recipient (set to, to_critical, … or to.KIND)"},
    {"config.email.password_file_missing",
     "chưa đặt (đã đặt user: mật khẩu phải nằm trong một tệp)",
     "missing (user is set: the password must be in a file)"},
    {"config.email.unencrypted",
     "none gửi thư không mã hóa: chỉ dùng được khi máy chủ thư ở ngay máy này (localhost, "
     "127.0.0.1); hãy dùng starttls hoặc tls",
     "none sends mail unencrypted: allowed only for a server on this PC (localhost, 127.0.0.1); "
     "use starttls or tls"},
    {"config.email.user_missing", "chưa đặt (đã đặt password_file)",
     "missing (password_file is set)"},
    {"config.expect.agency_code",
     "mã định danh của cơ quan, ví dụ H55.30.05 (để trống: theo đăng ký với hub)",
     "the agency's mã định danh, e.g. H55.30.05 (empty: as enrolled)"},
    {"config.expect.agency_name",
     "tên cơ quan, ví dụ UBND phường Hải Châu (để trống: theo đăng ký với hub)",
     "the agency's name, e.g. UBND phường Hải Châu (empty: as enrolled)"},
    {"config.expect.batch", "số mục gửi mỗi lần, từ 1 đến 1000",
     "a number of entries per push from 1 to 1000"},
    {"config.expect.bind",
     "một địa chỉ IP để nhận kết nối, ví dụ 0.0.0.0 (mọi giao diện mạng) hoặc 127.0.0.1",
     "an IP address to listen on, e.g. 0.0.0.0 (every interface) or 127.0.0.1"},
    {"config.expect.bool", "true hoặc false", "true or false"},
    {"config.expect.byte_size", "một kích thước từ 1K đến 1G, ví dụ 4M hoặc 512K",
     "a size from 1K to 1G, e.g. 4M or 512K"},
    {"config.expect.days", "số ngày từ {0} đến {1}", "a number of days from {0} to {1}"},
    {"config.expect.days_eg", "số ngày từ {0} đến {1}, ví dụ {2}",
     "a number of days from {0} to {1}, e.g. {2}"},
    {"config.expect.delegation", "LOẠI[,LOẠI…] YYYY-MM-DD..[YYYY-MM-DD] [quyết định], hoặc none",
     "KIND[,KIND…] YYYY-MM-DD..[YYYY-MM-DD] [decision], or none"},
    {"config.expect.department",
     "Sở nhận đề nghị, ví dụ Sở Khoa học và Công nghệ thành phố Đà Nẵng",
     "the Sở requests are addressed to, e.g. Sở Khoa học và Công nghệ thành phố Đà Nẵng"},
    {"config.expect.duration", "một khoảng thời gian ít nhất {0}, ví dụ {1}",
     "a duration of at least {0}, e.g. {1}"},
    {"config.expect.file", "một đường dẫn tệp", "a file path"},
    {"config.expect.folder", "một đường dẫn thư mục", "a folder path"},
    {"config.expect.forms_department", "Sở nhận đề nghị (tên cũ: dùng [agency] department)",
     "the Sở the forms are addressed to (deprecated: [agency] department)"},
    {"config.expect.forms_parent_body", "cơ quan cấp trên (tên cũ: dùng [agency] parent_body)",
     "the body above the agency (deprecated: [agency] parent_body)"},
    {"config.expect.forms_place", "địa danh ở dòng ngày tháng (tên cũ: dùng [agency] place)",
     "the place in the date line (deprecated: [agency] place)"},
    {"config.expect.forms_signer", "họ tên thủ trưởng cơ quan (tên cũ: dùng [agency] signer)",
     "the head of the agency's name (deprecated: [agency] signer)"},
    {"config.expect.holiday", "YYYY-MM-DD TÊN, YYYY-MM-DD..YYYY-MM-DD TÊN hoặc +YYYY-MM-DD TÊN",
     "YYYY-MM-DD NAME, YYYY-MM-DD..YYYY-MM-DD NAME or +YYYY-MM-DD NAME"},
    {"config.expect.holidays_file", "một tệp ghi mỗi dòng một ngày nghỉ",
     "a file with one holiday per line"},
    {"config.expect.language", "vi hoặc en", "vi or en"},
    {"config.expect.local_time", "một giờ trong ngày (giờ máy) dạng HH:MM, ví dụ {0}",
     "a local time of day HH:MM, e.g. {0}"},
    {"config.expect.log_file", "một đường dẫn tệp, hoặc để trống để không ghi nhật ký ra tệp",
     "a file path, or empty for no log file"},
    {"config.expect.log_keep", "số tệp nhật ký cũ được giữ, từ 1 đến 100",
     "a number of rotated files from 1 to 100"},
    {"config.expect.log_level",
     "một trong fatal, critical, error, warning, notice, information, debug, trace",
     "one of fatal, critical, error, warning, notice, information, debug, trace"},
    {"config.expect.log_rotation", "một kích thước như \"10 M\" hoặc \"500 K\"",
     "a size such as \"10 M\" or \"500 K\""},
    {"config.expect.mail_address", "một địa chỉ e-mail, ví dụ cks@binhchuong.quangngai.gov.vn",
     "one e-mail address, e.g. cks@binhchuong.quangngai.gov.vn"},
    {"config.expect.mail_ca_file", "đường dẫn tệp PEM chứa CA đã cấp chứng thư của máy chủ thư",
     "the path of a PEM file with the CA that issued the server's certificate"},
    {"config.expect.mail_domains",
     "các tên miền, cách nhau bằng dấu phẩy, ví dụ gov.vn, edu.vn (để trống: mọi tên miền)",
     "comma-separated domains, e.g. gov.vn, edu.vn (empty: any domain)"},
    {"config.expect.mail_list", "các địa chỉ e-mail, cách nhau bằng dấu phẩy",
     "comma-separated e-mail addresses"},
    {"config.expect.mail_port", "một cổng TCP từ 1 đến 65535 (587 cho starttls, 465 cho tls)",
     "a TCP port from 1 to 65535 (587 for starttls, 465 for tls)"},
    {"config.expect.mail_security", "starttls, tls hoặc none", "starttls, tls or none"},
    {"config.expect.modules", "các đường dẫn thư viện PKCS#11, cách nhau bằng dấu phẩy",
     "comma-separated module paths"},
    {"config.expect.month_day", "một ngày trong năm dạng MM-DD, ví dụ {0}",
     "a day of the year MM-DD, e.g. {0}"},
    {"config.expect.name", "một tên, không để trống", "a non-empty name"},
    {"config.expect.name_64", "một tên dài từ 1 đến 64 ký tự", "a name of 1 to 64 characters"},
    {"config.expect.name_prefixes", "các phần đầu tên, cách nhau bằng dấu phẩy",
     "comma-separated name beginnings"},
    {"config.expect.oids", "các OID dạng số và dấu chấm, cách nhau bằng dấu phẩy",
     "comma-separated dotted OIDs"},
    {"config.expect.parent_body", "cơ quan cấp trên, ví dụ UBND thành phố Đà Nẵng",
     "the body above the agency, e.g. UBND thành phố Đà Nẵng"},
    {"config.expect.password_file", "đường dẫn tệp (quyền 0600) chứa mật khẩu SMTP",
     "the path of a file (mode 0600) holding the SMTP password"},
    {"config.expect.people_committee", "Ủy ban nhân dân, ví dụ UBND thành phố Đà Nẵng",
     "the People's Committee, e.g. UBND thành phố Đà Nẵng"},
    {"config.expect.place", "địa danh ghi ở dòng ngày tháng, ví dụ Đà Nẵng",
     "the place in date lines, e.g. Đà Nẵng"},
    {"config.expect.port", "một cổng TCP từ 1 đến 65535", "a TCP port from 1 to 65535"},
    {"config.expect.probe", "đường dẫn của cks-p11probe", "the path of cks-p11probe"},
    {"config.expect.province",
     "tỉnh, thành phố kèm loại, ví dụ thành phố Đà Nẵng hoặc tỉnh Quảng Ngãi",
     "the province with its kind, e.g. thành phố Đà Nẵng or tỉnh Quảng Ngãi"},
    {"config.expect.province_department",
     "tên đầy đủ của Sở, ví dụ Sở Khoa học và Công nghệ thành phố Đà Nẵng",
     "the Sở's full name, e.g. Sở Khoa học và Công nghệ thành phố Đà Nẵng"},
    {"config.expect.province_kind", "tỉnh hoặc thành phố", "tỉnh or thành phố"},
    {"config.expect.province_name", "tên tỉnh, thành phố không kèm loại, ví dụ Đà Nẵng",
     "the province's name without its kind, e.g. Đà Nẵng"},
    {"config.expect.province_signer", "họ tên người ký (có thể để trống)",
     "the signer's name (may be empty)"},
    {"config.expect.province_signer_title",
     "chức danh trên chữ ký, ví dụ GIÁM ĐỐC (để trống: GIÁM ĐỐC)",
     "the title over the signature, e.g. GIÁM ĐỐC (empty: GIÁM ĐỐC)"},
    {"config.expect.proxy",
     "để trống (không dùng proxy), env (dùng https_proxy) hoặc http://host:port",
     "empty (no proxy), env (use https_proxy) or http://host:port"},
    {"config.expect.renewals", "số lần gia hạn từ 0 đến 100, ví dụ 1",
     "a number of renewals from 0 to 100, e.g. 1"},
    {"config.expect.secret_group",
     "tên một nhóm người dùng (để trống: chỉ tài khoản của dịch vụ đọc được khóa bí mật)",
     "a group name (empty: only the service account may read the secret)"},
    {"config.expect.server_names",
     "các tên miền hoặc địa chỉ IP, cách nhau bằng dấu phẩy, ví dụ hub.quangngai.gov.vn, 10.0.0.5",
     "comma-separated DNS names or IP addresses, e.g. hub.quangngai.gov.vn, 10.0.0.5"},
    {"config.expect.signer", "họ tên thủ trưởng cơ quan (có thể để trống)",
     "the head of the agency's name (may be empty)"},
    {"config.expect.signer_title", "chức danh trên chữ ký của thủ trưởng, ví dụ CHỦ TỊCH",
     "the title over the head's signature, e.g. CHỦ TỊCH"},
    {"config.expect.smtp_server", "tên hoặc địa chỉ máy chủ SMTP, ví dụ mail.quangngai.gov.vn",
     "the SMTP server's host name or address, e.g. mail.quangngai.gov.vn"},
    {"config.expect.smtp_user",
     "tên tài khoản SMTP, hoặc để trống nếu máy chủ không yêu cầu đăng nhập",
     "the SMTP account name, or empty for no authentication"},
    {"config.expect.store_url",
     "đường dẫn tệp SQLite, sqlite:ĐƯỜNG_DẪN, hoặc postgresql://user[:password]@host[:port]/dbname",
     "a SQLite file path, sqlite:PATH, or postgresql://user[:password]@host[:port]/dbname"},
    {"config.expect.threads", "số luồng xử lý từ 1 đến 256", "a number of threads from 1 to 256"},
    {"config.expect.thresholds",
     "các số ngày từ 1 đến 3650, cách nhau bằng dấu phẩy, ví dụ 90, 60, 30, 14, 7, 3, 1",
     "comma-separated numbers of days from 1 to 3650, e.g. 90, 60, 30, 14, 7, 3, 1"},
    {"config.expect.time_of_day", "một giờ trong ngày dạng HH:MM, ví dụ {0}",
     "a time of day HH:MM, e.g. {0}"},
    {"config.expect.time_zone", "Asia/Ho_Chi_Minh, UTC, hoặc một độ lệch cố định như UTC+07:00",
     "Asia/Ho_Chi_Minh, UTC, or a fixed offset such as UTC+07:00"},
    {"config.expect.timeout", "một khoảng thời gian từ 1s đến 10m, ví dụ 30s",
     "a time from 1s to 10m, e.g. 30s"},
    {"config.expect.upstream_proxy",
     "để trống (kết nối thẳng), env (dùng https_proxy), hoặc http://[user:password@]host:port",
     "empty (direct), env (https_proxy), or http://[user:password@]host:port"},
    {"config.expect.working_days", "số ngày làm việc từ {0} đến {1}",
     "a number of working days from {0} to {1}"},
    {"config.file_missing", "{0}: không có tệp này", "{0}: no such file"},
    {"config.file_not_regular", "{0}: không phải là tệp", "{0}: not a regular file"},
    {"config.file_unreadable", "không đọc được tệp {1}", "bad value \"{0}\": cannot read {1}: {2}"},
    {"config.no_file", "không có tệp này", "no such file"},
    {"config.no_module",
     "chưa khai báo thư viện PKCS#11 nào (đặt modules = ĐƯỜNG_DẪN, hoặc use_p11kit = true)",
     "no PKCS#11 module configured (set modules = PATH, or use_p11kit = true)"},
    {"config.not_a_file", "không phải là tệp", "not a regular file"},
    {"config.password_file_shared",
     "người khác đọc hoặc ghi được (quyền {0}); tệp này chứa mật khẩu: chmod 600 {1}",
     "readable or writable by others (mode {0}; it holds a password: chmod 600 {1})"},
    {"config.permission_denied", "không có quyền đọc tệp cấu hình (hãy chạy với quyền quản trị)",
     "permission denied on the configuration file (run as an administrator)"},
    {"config.probe_missing", "{0}: không phải tệp chạy được (cks-p11probe được cài cạnh cks-agent)",
     "{0}: not an executable file (cks-p11probe is installed beside cks-agent)"},
    {"config.renewal_lead_differs",
     "khác với [requests] renewal_min_days_left (dòng {0}); hạn chót gia hạn chỉ có một quy định: "
     "hãy bỏ renewal_lead",
     "differs from [requests] renewal_min_days_left (line {0}); the renewal deadline is one rule: "
     "remove renewal_lead"},
    {"config.unknown_key", "không có mục này (các mục của [{0}]: {1})",
     "unknown key (known keys in [{0}]: {1})"},
    {"config.unknown_section", "không có nhóm này (các nhóm: {0})",
     "unknown section (known sections: {0})"},
    {"config.unreadable", "không đọc được tệp cấu hình ({0})",
     "cannot read the configuration file: {0}"},
    {"doctor.agent_down", "cks-agent không trả lời ở {0}: {1}",
     "cks-agent does not answer at {0}: {1}"},
    {"doctor.agent_error", "cks-agent ở {0} trả lời lỗi {1}: {2}",
     "cks-agent at {0} answered {1}: {2}"},
    {"doctor.agent_log_fix",
     "xem nhật ký: journalctl -u cks-agent (hoặc [log] file trong agent.ini)",
     "see the log: journalctl -u cks-agent (or [log] file in agent.ini)"},
    {"doctor.agent_ok", "cks-agent {0} đang chạy (pid {1}), API cục bộ {2} trả lời.",
     "cks-agent {0} is running (pid {1}), the local API at {2} answers."},
    {"doctor.agent_secret_fix",
     "[api] secret_file của cksctl và của cks-agent phải là cùng một tệp; khởi động lại cks-agent "
     "nếu tệp đã bị thay",
     "cksctl and cks-agent must use the same [api] secret_file; restart cks-agent if the file was "
     "replaced"},
    {"doctor.agent_unchecked", "Không hỏi được cks-agent ở {0} (không đọc được khóa bí mật API).",
     "Cannot ask cks-agent at {0} (the API secret is not readable)."},
    {"doctor.all_well", "Không thấy vấn đề nào.", "No problems found."},
    {"doctor.clock_off", "Đồng hồ máy này lệch {0} giây so với hub.",
     "This PC's clock is {0} s off the hub's."},
    {"doctor.clock_off_fix",
     "bật đồng bộ giờ: sudo timedatectl set-ntp true (hạn chứng thư được tính theo giờ của hub)",
     "turn on time sync: sudo timedatectl set-ntp true (expiry is judged on the hub's time)"},
    {"doctor.clock_ok", "Đồng hồ máy này lệch {0} giây so với hub.",
     "This PC's clock is {0} s off the hub's."},
    {"doctor.clock_unchecked", "Chưa biết độ lệch đồng hồ so với hub (hub chưa trả lời).",
     "The clock offset from the hub is unknown (the hub has not answered)."},
    {"doctor.config_bad", "Cấu hình {0}: {1}", "Configuration {0}: {1}"},
    {"doctor.config_fix",
     "sửa tệp cấu hình theo thông báo trên (các khóa được giải thích trong agent.ini mẫu đi kèm bộ "
     "cài)",
     "fix the configuration file as said above (the sample agent.ini shipped with the install "
     "explains every key)"},
    {"doctor.config_ok", "Cấu hình {0}: đọc được, hợp lệ.",
     "Configuration {0}: readable and valid."},
    {"doctor.enrolled", "Đã đăng ký với hub {0}: đơn vị {1} ({2}).",
     "Enrolled with the hub {0}: agency {1} ({2})."},
    {"doctor.enrolment_files", "Đã đăng ký: có chứng thư của máy {0}.",
     "Enrolled: this PC's certificate {0} is there."},
    {"doctor.enrolment_unchecked",
     "Không xem được tệp đăng ký {0} ({1}); chạy với sudo để kiểm tra.",
     "Cannot look at the enrolment file {0} ({1}); run with sudo to check it."},
    {"doctor.fix", "       Cách sửa: {0}", "       Fix: {0}"},
    {"doctor.group_missing", "Nhóm {0} chưa có trên máy này: chỉ root dùng được cksctl.",
     "The group {0} does not exist on this PC: only root can use cksctl."},
    {"doctor.group_missing_fix",
     "sudo groupadd --system {0}; sudo usermod -aG {0} TÊN_NGƯỜI_DÙNG; sudo systemctl restart "
     "cks-agent",
     "sudo groupadd --system {0}; sudo usermod -aG {0} USER; sudo systemctl restart cks-agent"},
    {"doctor.hub_failed", "Đồng bộ với hub {0} không thành công: {1}",
     "Sync with the hub {0} failed: {1}"},
    {"doctor.hub_ok", "Hub {0} trả lời, đồng bộ thành công.",
     "The hub {0} answers; sync succeeded."},
    {"doctor.hub_refused", "Hub {0} từ chối đồng bộ: {1}", "The hub {0} refused the sync: {1}"},
    {"doctor.hub_unchecked",
     "Chưa kiểm tra được kết nối tới hub và đồng hồ: cần cks-agent đang chạy và đã đăng ký.",
     "The hub and the clock were not checked: that needs cks-agent running and enrolled."},
    {"doctor.hub_unreachable", "Không kết nối được hub {0}: {1}", "Cannot reach the hub {0}: {1}"},
    {"doctor.hub_unreachable_fix",
     "kiểm tra mạng, tường lửa và proxy ([hub] proxy trong agent.ini); cks-agent giữ các thay đổi "
     "và gửi sau",
     "check the network, the firewall and the proxy ([hub] proxy in agent.ini); cks-agent keeps "
     "the changes and sends them later"},
    {"doctor.mark_ok", "[ĐẠT]", "[OK]"},
    {"doctor.mark_problem", "[LỖI]", "[FAIL]"},
    {"doctor.mark_unchecked", "[?]", "[?]"},
    {"doctor.module_failed", "Mô-đun PKCS#11 {0}: {1} ({2}).", "PKCS#11 module {0}: {1} ({2})."},
    {"doctor.module_failed_fix",
     "cài lại phần mềm điều khiển token của hãng; cks-agent vẫn quét các mô-đun khác",
     "reinstall the token vendor's middleware; cks-agent still scans the other modules"},
    {"doctor.module_missing", "Mô-đun PKCS#11 {0}: không có tệp này.",
     "PKCS#11 module {0}: no such file."},
    {"doctor.module_missing_fix",
     "cài phần mềm điều khiển (middleware) token của hãng, hoặc sửa đường dẫn ở [pkcs11] modules",
     "install the token vendor's middleware, or fix the path in [pkcs11] modules"},
    {"doctor.module_none",
     "Chưa khai báo mô-đun PKCS#11 nào ([pkcs11] modules) và không dùng p11-kit.",
     "No PKCS#11 module is configured ([pkcs11] modules) and p11-kit is not used."},
    {"doctor.module_none_fix",
     "ghi đường dẫn thư viện PKCS#11 của token (phần mềm điều khiển của hãng) vào [pkcs11] modules "
     "trong agent.ini",
     "put the path of the token's PKCS#11 library (the vendor's middleware) in [pkcs11] modules of "
     "agent.ini"},
    {"doctor.module_ok", "Mô-đun PKCS#11 {0}: tải được, {1} khe cắm, {2} token.",
     "PKCS#11 module {0}: loads, {1} slot(s), {2} token(s)."},
    {"doctor.not_enrolled", "Chưa đăng ký với hub của tỉnh.",
     "Not enrolled with the province's hub."},
    {"doctor.not_enrolled_fix",
     "xin Sở KH&CN mã đăng ký và chứng thư CA của hub rồi chạy: cksctl enroll --hub URL --code MÃ "
     "--hub-ca TỆP",
     "get an enrolment code and the hub's CA certificate from the province, then run: cksctl "
     "enroll --hub URL --code CODE --hub-ca FILE"},
    {"doctor.probe_missing", "Không có chương trình cks-p11probe ở {0}.",
     "The program cks-p11probe is not at {0}."},
    {"doctor.probe_missing_fix",
     "cài lại gói cks (cks-p11probe nằm cạnh cks-agent), hoặc sửa [pkcs11] probe",
     "reinstall the cks package (cks-p11probe lives beside cks-agent), or fix [pkcs11] probe"},
    {"doctor.problems", "Có {0} vấn đề cần xử lý.", "{0} problem(s) to fix."},
    {"doctor.refused", "Hub từ chối máy này từ {0}: {1}",
     "The hub has refused this PC since {0}: {1}"},
    {"doctor.refused_fix",
     "xin Sở KH&CN mã đăng ký mới rồi chạy: cksctl enroll --force --hub {0} --code MÃ --hub-ca TỆP "
     "(các thay đổi đang chờ được giữ lại)",
     "get a new enrolment code from the province and run: cksctl enroll --force --hub {0} --code "
     "CODE --hub-ca FILE (changes waiting are kept)"},
    {"doctor.secret_denied",
     "Khóa bí mật API {0}: người dùng {1} không có quyền đọc (permission denied).",
     "API secret {0}: user {1} may not read it (permission denied)."},
    {"doctor.secret_denied_fix",
     "sudo usermod -aG {0} {1}, rồi đăng xuất và đăng nhập lại (hoặc chạy cksctl với sudo)",
     "sudo usermod -aG {0} {1}, then log out and in again (or run cksctl with sudo)"},
    {"doctor.secret_missing", "Khóa bí mật API {0}: chưa có (cks-agent tạo khi khởi động lần đầu).",
     "API secret {0}: not there yet (cks-agent creates it at its first start)."},
    {"doctor.secret_ok", "Khóa bí mật API {0}: quyền {1}, nhóm {2}; người dùng {3} đọc được.",
     "API secret {0}: mode {1}, group {2}; user {3} can read it."},
    {"doctor.secret_public",
     "Khóa bí mật API {0}: ai cũng đọc được (quyền {1}); cks-agent sẽ không khởi động.",
     "API secret {0}: everyone may read it (mode {1}); cks-agent will not start."},
    {"doctor.secret_public_fix", "sudo chmod 640 {0}; sudo systemctl restart cks-agent",
     "sudo chmod 640 {0}; sudo systemctl restart cks-agent"},
    {"doctor.secret_unusable", "Khóa bí mật API không dùng được: {0}",
     "The API secret is unusable: {0}"},
    {"doctor.secret_wrong_group",
     "Khóa bí mật API {0}: thuộc nhóm {1} (quyền {2}), nhóm {3} không đọc được.",
     "API secret {0}: group {1} (mode {2}), the group {3} cannot read it."},
    {"doctor.secret_wrong_group_fix",
     "sudo systemctl restart cks-agent (khi khởi động, cks-agent trao tệp cho nhóm {0} với quyền "
     "640)",
     "sudo systemctl restart cks-agent (at start, cks-agent gives the file to the group {0} with "
     "mode 640)"},
    {"doctor.start_agent",
     "khởi động dịch vụ: sudo systemctl start cks-agent; xem lỗi: journalctl -u cks-agent",
     "start the service: sudo systemctl start cks-agent; see why it stopped: journalctl -u "
     "cks-agent"},
    {"doctor.store_corrupt", "Kho dữ liệu {0}: hỏng hoặc không đọc được ({1}).",
     "Store {0}: damaged or unreadable ({1})."},
    {"doctor.store_corrupt_fix",
     "dừng cks-agent, giữ lại một bản sao của tệp rồi khôi phục từ bản sao lưu "
     "(docs/operations.md)",
     "stop cks-agent, keep a copy of the file, then restore from a backup (docs/operations.md)"},
    {"doctor.store_in_use",
     "Kho dữ liệu {0}: cks-agent đang dùng (đã kiểm tra toàn vẹn khi khởi động).",
     "Store {0}: in use by cks-agent (its integrity was checked at start-up)."},
    {"doctor.store_locked",
     "Kho dữ liệu {0}: một cks-agent (pid {1}) đang giữ nhưng API cục bộ (cổng {2}) không trả lời.",
     "Store {0}: a cks-agent (pid {1}) holds it but the local API (port {2}) does not answer."},
    {"doctor.store_missing", "Kho dữ liệu {0}: chưa có (cks-agent tạo khi khởi động lần đầu).",
     "Store {0}: not there yet (cks-agent creates it at its first start)."},
    {"doctor.store_ok", "Kho dữ liệu {0}: toàn vẹn.", "Store {0}: intact."},
    {"doctor.store_unreadable",
     "Kho dữ liệu {0}: người dùng này không mở được ({1}); chạy với sudo để kiểm tra.",
     "Store {0}: this user cannot open it ({1}); run with sudo to check it."},
    {"doctor.title", "Kiểm tra cks-agent trên máy này (cksctl {0})",
     "Checking cks-agent on this PC (cksctl {0})"},
    {"doctor.version_mismatch", "cks-agent đang chạy là phiên bản {0}, cksctl là {1}.",
     "The running cks-agent is version {0}, cksctl is {1}."},
    {"doctor.version_mismatch_fix",
     "sau khi cập nhật, khởi động lại dịch vụ: sudo systemctl restart cks-agent",
     "after an update, restart the service: sudo systemctl restart cks-agent"},
    {"enroll.already",
     "Máy này đã đăng ký với hub {0}. Để thay bằng đăng ký mới (ví dụ sau khi Sở KH&CN thu hồi "
     "máy này), xin mã đăng ký mới rồi chạy: cksctl enroll --force --hub URL --code MÃ --hub-ca "
     "TỆP. Các thay đổi đang chờ gửi được giữ lại.",
     "This PC is already enrolled with the hub {0}. To replace it with a new enrolment (e.g. after "
     "the province revoked this PC), get a new enrolment code and run: cksctl enroll --force --hub "
     "URL --code CODE --hub-ca FILE. Changes waiting to be sent are kept."},
    {"enroll.code_invalid",
     "Hub từ chối mã đăng ký: mã không đúng, đã được dùng hoặc đã hết hạn. Hãy xin Sở KH&CN một "
     "mã mới rồi chạy lại lệnh.",
     "The hub refused the enrolment code: it is wrong, already used or expired. Ask the province "
     "for a new code and run the command again."},
    {"enroll.failed",
     "Không đăng ký được với hub {0} do lỗi trên máy này. Chi tiết kỹ thuật nằm trong nhật ký của "
     "cks-agent (hoặc chạy lại lệnh với --verbose); hãy gửi cho bộ phận hỗ trợ của Sở KH&CN.",
     "Enrolment with the hub {0} failed on this PC. The technical detail is in cks-agent's log (or "
     "run the command again with --verbose); send it to the province's support."},
    {"enroll.ok", "Đã đăng ký với hub {0}: đơn vị {1} ({2}), mã máy {3}.",
     "Enrolled with hub {0}: agency {1} ({2}), agent id {3}."},
    {"enroll.refused",
     "Hub {0} từ chối đăng ký máy này. Hãy liên hệ Sở KH&CN (chạy lại với --verbose để xem lý do "
     "hub đưa ra).",
     "The hub {0} refused to enrol this PC. Contact the province (run again with --verbose for "
     "the hub's reason)."},
    {"enroll.tls",
     "Không xác thực được hub {0} bằng tệp CA {1}: hãy kiểm tra --hub-ca là tệp CA máy chủ do Sở "
     "KH&CN gửi, và địa chỉ --hub đúng tên máy chủ của hub.",
     "The hub {0} could not be verified with the CA file {1}: check that --hub-ca is the server CA "
     "file the province sent, and that --hub is the hub's server name."},
    {"enroll.unreachable",
     "Không kết nối được tới hub {0}. Hãy kiểm tra địa chỉ (--hub), mạng, tường lửa và proxy "
     "([hub] proxy trong agent.ini), rồi chạy lại lệnh.",
     "Cannot reach the hub {0}. Check the address (--hub), the network, the firewall and the proxy "
     "([hub] proxy in agent.ini), then run the command again."},
    {"form.addressee", "Kính gửi: {0}.", "To: {0}."},
    {"form.agency_with_code", "{0} (mã định danh {1})", "{0} (document exchange code {1})"},
    {"form.column.address", "Địa chỉ", "Address"},
    {"form.column.agency_code", "Mã định danh", "Document exchange code"},
    {"form.column.case", "Trường hợp thay đổi", "Case of change"},
    {"form.column.certificates_on_token", "Chứng thư số trên thiết bị (thuê bao, số hiệu)",
     "Certificates on the token (subscriber, serial)"},
    {"form.column.contact", "Thư điện tử công vụ, số điện thoại", "Official e-mail, phone"},
    {"form.column.device_name", "Tên thiết bị, dịch vụ, phần mềm", "Device, service or software"},
    {"form.column.establishment_decision", "Quyết định thành lập", "Establishment decision"},
    {"form.column.expiry", "Ngày hết hạn", "Expires on"},
    {"form.column.full_name", "Họ và tên", "Full name"},
    {"form.column.id_number", "Số định danh cá nhân", "Personal ID number"},
    {"form.column.manager", "Người chịu trách nhiệm quản lý", "Person responsible"},
    {"form.column.new_values", "Nội dung thay đổi", "New information"},
    {"form.column.note", "Ghi chú", "Note"},
    {"form.column.number", "STT", "No."},
    {"form.column.organization_name", "Tên cơ quan, tổ chức", "Organisation"},
    {"form.column.position", "Chức vụ, đơn vị công tác", "Position, unit"},
    {"form.column.purpose", "Mục đích sử dụng", "Purpose"},
    {"form.column.recovery_reason", "Lý do đề nghị khôi phục", "Why recovery is needed"},
    {"form.column.revocation_reason", "Lý do thu hồi", "Reason for revocation"},
    {"form.column.serial", "Số hiệu chứng thư số", "Certificate serial number"},
    {"form.column.subscriber", "Họ và tên / Tên cơ quan, tổ chức",
     "Holder (person or organisation)"},
    {"form.column.token_serial", "Số hiệu thiết bị lưu khóa bí mật", "Token serial number"},
    {"form.commitment",
     "{0} cam kết các thông tin nêu trên là đúng sự thật và chịu trách nhiệm trước pháp luật về "
     "các thông tin đã cung cấp.",
     "{0} declares that the information above is true and takes legal responsibility for it."},
    {"form.date", "{0}, ngày {1} tháng {2} năm {3}", "{0}, {1}/{2}/{3}"},
    {"form.document_number", "Số: {0}", "No.: {0}"},
    {"form.error.certificate_unknown",
     "đề nghị {0}: thiếu thông tin chứng thư số {1} (không có trong danh sách chứng thư số)",
     "request {0}: no information on certificate {1} (it is not among the certificates given)"},
    {"form.error.empty", "không có đề nghị nào để in", "no request to print"},
    {"form.error.mixed",
     "các đề nghị in chung một mẫu phải cùng một loại: {0} là «{1}», {2} là «{3}»",
     "requests on one form must be of one kind: {0} is \"{1}\", {2} is \"{3}\""},
    {"form.error.no_form", "đề nghị {0} chưa xác định được mẫu (chưa rõ loại thuê bao)",
     "request {0} has no form yet (its subscriber kind is unknown)"},
    {"form.followup.08",
     "Thiết bị lưu khóa bí mật của các chứng thư số bị thu hồi được bàn giao cho Cục Chứng thực số "
     "và Bảo mật thông tin theo quy định (biên bản bàn giao theo Mẫu số 08).",
     "The tokens of the revoked certificates are handed back to the provider (Cục CTS&BMTT) as the "
     "Decree requires (handover record, Form No. 08)."},
    {"form.followup.09",
     "Trường hợp mất thiết bị lưu khóa bí mật, cơ quan lập biên bản xác nhận mất thiết bị theo Mẫu "
     "số 09.",
     "For a lost token the agency draws up the record of the loss (Form No. 09)."},
    {"form.intro.change_of_information",
     "{0} đề nghị thay đổi nội dung thông tin chứng thư chữ ký số chuyên dùng công vụ của các thuê "
     "bao sau:",
     "{0} asks for the information in the following subscribers' certificates to be changed:"},
    {"form.intro.device_recovery", "{0} đề nghị khôi phục các thiết bị lưu khóa bí mật sau:",
     "{0} asks for the following tokens to be recovered:"},
    {"form.intro.new_device",
     "{0} đề nghị cấp chứng thư chữ ký số chuyên dùng công vụ cho các thiết bị, dịch vụ, phần mềm "
     "sau:",
     "{0} asks for public-service certificates for the following devices, services or software:"},
    {"form.intro.new_individual",
     "{0} đề nghị cấp chứng thư chữ ký số chuyên dùng công vụ cho các cá nhân sau:",
     "{0} asks for public-service certificates for the following people:"},
    {"form.intro.new_organization",
     "{0} đề nghị cấp chứng thư chữ ký số chuyên dùng công vụ cho các cơ quan, tổ chức sau:",
     "{0} asks for public-service certificates for the following organisations:"},
    {"form.intro.renewal",
     "{0} đề nghị gia hạn chứng thư chữ ký số chuyên dùng công vụ cho các thuê bao sau:",
     "{0} asks for the following subscribers' certificates to be renewed:"},
    {"form.intro.revocation",
     "{0} đề nghị thu hồi chứng thư chữ ký số chuyên dùng công vụ của các thuê bao sau:",
     "{0} asks for the following subscribers' certificates to be revoked:"},
    {"form.legal_basis",
     "Căn cứ Nghị định số 68/2024/NĐ-CP ngày 25 tháng 6 năm 2024 của Chính phủ quy định về chữ ký "
     "số chuyên dùng công vụ;",
     "Under Decree 68/2024/NĐ-CP of 25 June 2024 on public-service digital signatures;"},
    {"form.national_motto", "Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"},
    {"form.national_name", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"},
    {"form.new_value.address", "Địa chỉ mới", "New address"},
    {"form.new_value.agency", "Cơ quan, tổ chức công tác mới", "New agency"},
    {"form.new_value.agency_code", "Mã định danh mới", "New document exchange code"},
    {"form.new_value.description", "Nội dung nâng cấp", "Upgrade"},
    {"form.new_value.email", "Thư điện tử công vụ mới", "New official e-mail"},
    {"form.new_value.name", "Tên mới", "New name"},
    {"form.new_value.position", "Chức vụ mới", "New position"},
    {"form.number", "Mẫu số {0}", "Form No. {0}"},
    {"form.recipients", "Nơi nhận:", "Copies to:"},
    {"form.recipients.list", "- Như trên;\n- Lưu: VT.", "- As above;\n- Archive."},
    {"form.recovery.locked", "Thiết bị bị khóa, không sử dụng được",
     "The token is locked or unusable"},
    {"form.signature.note", "(Ký, ghi rõ họ tên và đóng dấu)", "(Signature, full name and seal)"},
    {"form.signature.title", "THỦ TRƯỞNG CƠ QUAN", "HEAD OF THE AGENCY"},
    {"form.title.change_of_information",
     "ĐỀ NGHỊ THAY ĐỔI NỘI DUNG THÔNG TIN\nCHỨNG THƯ CHỮ KÝ SỐ CHUYÊN DÙNG CÔNG VỤ",
     "REQUEST TO CHANGE THE INFORMATION\nOF PUBLIC-SERVICE CERTIFICATES"},
    {"form.title.device_recovery", "ĐỀ NGHỊ KHÔI PHỤC THIẾT BỊ LƯU KHÓA BÍ MẬT",
     "REQUEST TO RECOVER KEY STORAGE DEVICES"},
    {"form.title.new_device",
     "ĐỀ NGHỊ CẤP CHỨNG THƯ CHỮ KÝ SỐ CHUYÊN DÙNG CÔNG VỤ\nCHO THIẾT BỊ, DỊCH VỤ, PHẦN MỀM",
     "REQUEST FOR PUBLIC-SERVICE CERTIFICATES\nFOR DEVICES, SERVICES AND SOFTWARE"},
    {"form.title.new_individual",
     "ĐỀ NGHỊ CẤP CHỨNG THƯ CHỮ KÝ SỐ CHUYÊN DÙNG CÔNG VỤ\nCHO CÁ NHÂN",
     "REQUEST FOR PUBLIC-SERVICE CERTIFICATES\nFOR INDIVIDUALS"},
    {"form.title.new_organization",
     "ĐỀ NGHỊ CẤP CHỨNG THƯ CHỮ KÝ SỐ CHUYÊN DÙNG CÔNG VỤ\nCHO CƠ QUAN, TỔ CHỨC",
     "REQUEST FOR PUBLIC-SERVICE CERTIFICATES\nFOR ORGANISATIONS"},
    {"form.title.renewal", "ĐỀ NGHỊ GIA HẠN\nCHỨNG THƯ CHỮ KÝ SỐ CHUYÊN DÙNG CÔNG VỤ",
     "REQUEST TO RENEW\nPUBLIC-SERVICE CERTIFICATES"},
    {"form.title.revocation", "ĐỀ NGHỊ THU HỒI\nCHỨNG THƯ CHỮ KÝ SỐ CHUYÊN DÙNG CÔNG VỤ",
     "REQUEST TO REVOKE\nPUBLIC-SERVICE CERTIFICATES"},
    {"hub.admin.usage",
     "Cách dùng: cks-hub [--config TỆP] [--lang vi|en] admin LỆNH [tùy chọn]\n"
     "Lệnh:\n"
     "  server-ca                                   in chứng thư CA máy chủ (máy trạm tin cậy "
     "CA này)\n"
     "  enroll-code --agency MÃ [--name \"TÊN\"] [--rename] [--type LOẠI] [--ttl 72h]\n"
     "                                              tạo mã đăng ký dùng một lần cho một cơ "
     "quan\n"
     "  codes [--json]                              các mã đăng ký đã tạo, đã dùng hay chưa\n"
     "  codes revoke MÃ                             thu hồi một mã đăng ký chưa dùng\n"
     "  agencies [--json]                           danh mục cơ quan (mã, tên, loại, cấp trên)\n"
     "  agencies import TỆP.csv                     nhập danh mục cơ quan từ tệp CSV "
     "(code,name,type,parent)\n"
     "  agents [--json]                             các máy trạm đã đăng ký\n"
     "  inventory --agency MÃ [--json]              chứng thư số của một cơ quan\n"
     "  tokens --agency MÃ [--json]                 token của một cơ quan\n"
     "  alerts [--agency MÃ] [--all] [--json]       cảnh báo của các cơ quan (--all: cả cảnh báo "
     "đã kết thúc)\n"
     "  expiring --days N [--agency MÃ] [--json]    chứng thư số còn hiệu lực, hết hạn trong N "
     "ngày tới\n"
     "  requests [--state TT] [--agency MÃ] [--json]\n"
     "                                              đề nghị của các cơ quan, hạn xử lý\n"
     "  request accept|forward|complete|reject ID [--reason \"…\"] [--reference \"…\"] "
     "[--by TÊN]\n"
     "                                              tiếp nhận, chuyển Cục, hoàn thành, từ "
     "chối đề nghị\n"
     "  merger publish --into MÃ --name \"TÊN\" --from MÃ[=TÊN][,MÃ…] [--keep DẤU_VÂN_TAY]\n"
     "                                              thông báo việc sáp nhập tới máy trạm của các "
     "đơn vị\n"
     "  report status --year NĂM [--json]           cơ quan nào đã nộp báo cáo năm, lần nộp, số "
     "liệu cũ bao nhiêu ngày\n"
     "  report province --year NĂM [--json] [-o TỆP.xlsx|TỆP.pdf]\n"
     "                                              báo cáo tổng hợp của tỉnh (bản nộp sau cùng "
     "của mỗi cơ quan)\n"
     "  report deadline --year NĂM --date YYYY-MM-DD [--remind-from YYYY-MM-DD]\n"
     "                                              gửi hạn nộp báo cáo năm tới máy trạm của mọi "
     "cơ quan\n"
     "  report nation --year NĂM [--json]           (hub quốc gia) báo cáo tổng hợp các tỉnh đã "
     "gửi lên\n"
     "  report submit --year NĂM                    gửi báo cáo tổng hợp của tỉnh lên hub quốc "
     "gia\n"
     "  upstream enroll --hub URL --code MÃ --hub-ca TỆP [--force]\n"
     "                                              đăng ký hub của tỉnh với hub quốc gia\n"
     "  upstream sync                               gửi lại những gì chưa tới được hub quốc gia\n"
     "  revoke --agent ID [--yes]                   thu hồi một máy trạm (hỏi lại khi chạy ở "
     "terminal)\n"
     "Bảng vừa độ rộng màn hình (biến COLUMNS nếu có), --wide in đầy đủ; ID đề nghị: đủ, hoặc ít "
     "nhất 8 ký tự đầu. Giờ hiển thị theo [display] time_zone (mặc định giờ Việt Nam).\n"
     "Mã thoát: 0 thành công, 1 lỗi khi chạy, 2 sai cách dùng hoặc cấu hình, 4 không kết nối "
     "được hub quốc gia.",
     "Usage: cks-hub [--config FILE] [--lang vi|en] admin COMMAND [options]\n"
     "Commands:\n"
     "  server-ca                                   print the server CA certificate (agents "
     "trust it)\n"
     "  enroll-code --agency CODE [--name \"NAME\"] [--rename] [--type TYPE] [--ttl 72h]\n"
     "                                              make a single-use enrolment code for an "
     "agency\n"
     "  codes [--json]                              the enrolment codes made, used or not\n"
     "  codes revoke CODE                           withdraw an enrolment code not used yet\n"
     "  agencies [--json]                           the agency directory (code, name, type, "
     "parent)\n"
     "  agencies import FILE.csv                    import the agency directory from a CSV file "
     "(code,name,type,parent)\n"
     "  agents [--json]                             enrolled agents\n"
     "  inventory --agency CODE [--json]            an agency's certificates\n"
     "  tokens --agency CODE [--json]               an agency's tokens\n"
     "  alerts [--agency CODE] [--all] [--json]     the agencies' alerts (--all: resolved ones "
     "too)\n"
     "  expiring --days N [--agency CODE] [--json]  valid certificates expiring within N days\n"
     "  requests [--state S] [--agency CODE] [--json]\n"
     "                                              the agencies' requests and their due dates\n"
     "  request accept|forward|complete|reject ID [--reason \"…\"] [--reference \"…\"] "
     "[--by NAME]\n"
     "                                              handle a request\n"
     "  merger publish --into CODE --name \"NAME\" --from CODE[=NAME][,CODE…] [--keep "
     "FINGERPRINT]\n"
     "                                              announce a merger to the units' agents\n"
     "  report status --year YEAR [--json]          which agencies have submitted the yearly "
     "report, version, staleness\n"
     "  report province --year YEAR [--json] [-o FILE.xlsx|FILE.pdf]\n"
     "                                              the province's aggregate (each agency's "
     "latest version)\n"
     "  report deadline --year YEAR --date YYYY-MM-DD [--remind-from YYYY-MM-DD]\n"
     "                                              send the report's deadline to every agency's "
     "agents\n"
     "  report nation --year YEAR [--json]          (national hub) the aggregates the provinces "
     "sent up\n"
     "  report submit --year YEAR                   send the province's aggregate to the national "
     "hub\n"
     "  upstream enroll --hub URL --code CODE --hub-ca FILE [--force]\n"
     "                                              enrol this province hub with the national hub\n"
     "  upstream sync                               send what has not reached the national hub\n"
     "  revoke --agent ID [--yes]                   revoke an agent (asks first on a terminal)\n"
     "Tables fit the terminal (COLUMNS when set), --wide prints them whole; a request ID: whole, "
     "or at least its first 8 characters. Times are shown in [display] time_zone (Vietnam time "
     "by default).\n"
     "Exit codes: 0 success, 1 runtime error, 2 usage or configuration error, 4 the national hub "
     "not reachable."},
    {"hub.agencies.count", "Tổng cộng {0} cơ quan.", "{0} agency(ies) in total."},
    {"hub.agencies.csv.bad_code", "mã cơ quan không hợp lệ: {0}", "invalid agency code: {0}"},
    {"hub.agencies.csv.bad_column",
     "cột \"{0}\" không dùng được (các cột: code, name, type, parent)",
     "unknown column \"{0}\" (the columns are code, name, type, parent)"},
    {"hub.agencies.csv.bad_parent", "mã cơ quan cấp trên không hợp lệ: {0}",
     "invalid parent agency code: {0}"},
    {"hub.agencies.csv.bad_type",
     "loại cơ quan \"{0}\" không hợp lệ (department: sở, ban, ngành; commune: UBND xã, phường, đặc "
     "khu; other: khác)",
     "invalid agency type \"{0}\" (department, commune or other)"},
    {"hub.agencies.csv.code_twice", "mã {0} đã có ở dòng {1}",
     "code {0} is already listed on line {1}"},
    {"hub.agencies.csv.column_twice", "cột \"{0}\" có hai lần", "column \"{0}\" appears twice"},
    {"hub.agencies.csv.empty", "tệp trống: cần dòng tiêu đề code,name,type,parent",
     "the file is empty: it needs the header row code,name,type,parent"},
    {"hub.agencies.csv.field_count", "dòng có {0} cột, dòng tiêu đề có {1}",
     "the row has {0} fields, the header {1}"},
    {"hub.agencies.csv.missing_column", "thiếu cột \"{0}\" trong dòng tiêu đề",
     "the header row has no \"{0}\" column"},
    {"hub.agencies.csv.no_name", "thiếu tên cơ quan", "the agency's name is missing"},
    {"hub.agencies.csv.no_rows",
     "Tệp {0} không có dòng cơ quan nào sau dòng tiêu đề; không nhập gì.",
     "{0} has no agency row after its header; nothing imported."},
    {"hub.agencies.csv.not_utf8",
     "tệp không phải văn bản UTF-8 (khi lưu từ Excel, chọn \"CSV UTF-8\")",
     "the file is not UTF-8 text (in Excel, save as \"CSV UTF-8\")"},
    {"hub.agencies.csv.open_quote", "dấu ngoặc kép mở ở dòng này không được đóng",
     "a quote opened on this line is never closed"},
    {"hub.agencies.csv.own_parent", "cơ quan {0} không thể là cấp trên của chính nó",
     "agency {0} cannot be its own parent"},
    {"hub.agencies.imported",
     "Đã nhập {0} cơ quan từ {1}: {2} mới, {3} đổi tên, {4} cập nhật loại hoặc cấp trên, {5} không "
     "đổi.",
     "Imported {0} agencies from {1}: {2} new, {3} renamed, {4} with a new type or parent, {5} "
     "unchanged."},
    {"hub.agencies.none", "Danh mục cơ quan của hub còn trống.",
     "The hub's agency directory is empty."},
    {"hub.agencies.not_imported", "Không nhập dòng nào từ {0}: hãy sửa các dòng trên rồi chạy lại.",
     "Nothing imported from {0}: correct the rows above and run it again."},
    {"hub.agencies.title", "Danh mục cơ quan của tỉnh", "The province's agency directory"},
    {"hub.agencies.unreadable", "Không đọc được tệp {0}", "Cannot read the file {0}"},
    {"hub.agencies.usage",
     "cách dùng: agencies [--json] | agencies import TỆP.csv (các cột code,name,type,parent)",
     "usage: agencies [--json] | agencies import FILE.csv (columns code,name,type,parent)"},
    {"hub.agency.unknown", "Hub chưa có cơ quan mã {0}.", "This hub has no agency with code {0}."},
    {"hub.agent.revoked", "Đã thu hồi máy trạm {0}; từ nay hub từ chối mọi kết nối của máy này.",
     "Agent {0} is revoked; the hub refuses its connections from now on."},
    {"hub.agent.unknown", "Hub không có máy trạm {0}.", "This hub has no agent {0}."},
    {"hub.agents.count", "Tổng cộng {0} máy trạm.", "{0} agent(s) in total."},
    {"hub.agents.none", "Chưa có máy trạm nào đăng ký.", "No agent has enrolled yet."},
    {"hub.agents.title", "Máy trạm cks-agent đã đăng ký", "Enrolled cks-agent machines"},
    {"hub.alerts.col.message", "Nội dung", "Message"},
    {"hub.alerts.col.raised", "Phát sinh", "Raised"},
    {"hub.alerts.col.severity", "Mức độ", "Severity"},
    {"hub.alerts.count", "Tổng cộng {0} cảnh báo.", "{0} alert(s) in total."},
    {"hub.alerts.none", "Không có cảnh báo nào cần xử lý.", "No alert needs attention."},
    {"hub.alerts.none_all", "Hub chưa nhận được cảnh báo nào.",
     "The hub has received no alert yet."},
    {"hub.alerts.resolution.cleared", "nguyên nhân không còn", "the cause is gone"},
    {"hub.alerts.resolution.deadline_passed", "đã qua hạn chót", "the deadline passed"},
    {"hub.alerts.resolution.renewed", "đã gia hạn", "renewed"},
    {"hub.alerts.resolution.superseded", "có cảnh báo mới thay thế", "superseded"},
    {"hub.alerts.state.snoozed_until", "Tạm hoãn đến {0}", "Snoozed until {0}"},
    {"hub.alerts.title", "Cảnh báo của các cơ quan trong tỉnh",
     "Alerts of the province's agencies"},
    {"hub.alerts.title_agency", "Cảnh báo của {0} ({1})", "Alerts of {0} ({1})"},
    {"hub.bad_agency", "Mã định danh cơ quan không hợp lệ: {0}", "Invalid agency code: {0}"},
    {"hub.bad_language", "Ngôn ngữ không hỗ trợ: \"{0}\" (dùng vi hoặc en)",
     "Unsupported language: \"{0}\" (use vi or en)"},
    {"hub.bad_ttl", "Giá trị --ttl không hợp lệ: \"{0}\" (ví dụ 30m, 72h, 7d; tối đa 30 ngày)",
     "Invalid --ttl value: \"{0}\" (e.g. 30m, 72h, 7d; at most 30 days)"},
    {"hub.bad_type", "Loại cơ quan không hợp lệ: \"{0}\" (department, commune hoặc other)",
     "Invalid agency type: \"{0}\" (department, commune or other)"},
    {"hub.certs.count", "Tổng cộng {0} chứng thư số.", "{0} certificate(s) in total."},
    {"hub.certs.none", "Hub chưa nhận được chứng thư số nào của cơ quan này.",
     "The hub has received no certificate of this agency yet."},
    {"hub.certs.title", "Chứng thư số của {0} ({1})", "Certificates of {0} ({1})"},
    {"hub.certstatus.expired", "Đã hết hạn", "Expired"},
    {"hub.certstatus.expiring", "Sắp hết hạn", "Expiring"},
    {"hub.certstatus.not_yet_valid", "Chưa có hiệu lực", "Not yet valid"},
    {"hub.certstatus.unparseable", "Không đọc được", "Unreadable"},
    {"hub.certstatus.valid", "Còn hiệu lực", "Valid"},
    {"hub.codes.already_revoked", "Mã đăng ký {0} của {1} {2} đã bị thu hồi trước đó.",
     "Enrolment code {0} of {1} {2} was already withdrawn."},
    {"hub.codes.already_used",
     "Mã đăng ký {0} đã được dùng (máy trạm {1}): hãy thu hồi máy trạm bằng revoke --agent.",
     "Enrolment code {0} was already used (agent {1}): revoke the agent with revoke --agent."},
    {"hub.codes.ambiguous", "Có nhiều mã đăng ký bắt đầu bằng \"{0}\": hãy ghi thêm ký tự.",
     "More than one enrolment code starts with \"{0}\": give more characters."},
    {"hub.codes.col.created", "Tạo lúc", "Created"},
    {"hub.codes.col.id", "Mã số", "Id"},
    {"hub.codes.count", "Tổng cộng {0} mã đăng ký.", "{0} enrolment code(s) in total."},
    {"hub.codes.none", "Chưa tạo mã đăng ký nào.", "No enrolment code has been made yet."},
    {"hub.codes.revoked",
     "Đã thu hồi mã đăng ký {0} của {1} {2}; mã này không dùng để đăng ký được nữa.",
     "Enrolment code {0} of {1} {2} is withdrawn; it can no longer enrol an agent."},
    {"hub.codes.state.active", "Còn dùng được", "Active"},
    {"hub.codes.state.expired", "Đã hết hạn", "Expired"},
    {"hub.codes.state.revoked", "Đã thu hồi", "Withdrawn"},
    {"hub.codes.state.used", "Đã dùng", "Used"},
    {"hub.codes.title", "Mã đăng ký máy trạm (hub chỉ giữ mã băm, không giữ mã)",
     "Enrolment codes (the hub keeps only their hash, never the code)"},
    {"hub.codes.unknown", "Hub không có mã đăng ký {0}.", "This hub has no enrolment code {0}."},
    {"hub.codes.usage",
     "cách dùng: codes [--json] | codes revoke MÃ (mã đã cấp, hoặc mã số trong danh sách)",
     "usage: codes [--json] | codes revoke CODE (the code given out, or the id in the list)"},
    {"hub.col.agency", "Cơ quan", "Agency"},
    {"hub.col.agent_id", "Mã máy trạm", "Agent id"},
    {"hub.col.backlog", "Chờ gửi", "Backlog"},
    {"hub.col.certs", "Số CTS", "Certs"},
    {"hub.col.clock_offset", "Lệch giờ (giây)", "Clock offset (s)"},
    {"hub.col.code", "Mã", "Code"},
    {"hub.col.days_left", "Còn (ngày)", "Days left"},
    {"hub.col.expires", "Hết hạn", "Expires"},
    {"hub.col.holder", "Chủ thể", "Holder"},
    {"hub.col.host", "Tên máy", "Host"},
    {"hub.col.kind", "Loại", "Kind"},
    {"hub.col.label", "Nhãn", "Label"},
    {"hub.col.last_contact", "Liên lạc gần nhất", "Last contact"},
    {"hub.col.last_seq", "Đã nhận đến", "Last seq"},
    {"hub.col.manufacturer", "Hãng", "Manufacturer"},
    {"hub.col.name", "Tên", "Name"},
    {"hub.col.parent", "Cấp trên", "Parent"},
    {"hub.col.pin", "Trạng thái PIN", "PIN state"},
    {"hub.col.present", "Đang cắm", "Plugged in"},
    {"hub.col.serial", "Số serial", "Serial"},
    {"hub.col.status", "Trạng thái", "Status"},
    {"hub.col.token", "Token", "Token"},
    {"hub.col.type", "Loại cơ quan", "Agency type"},
    {"hub.col.urgent", "Khẩn đã nhận đến", "Urgent seq"},
    {"hub.col.version", "Phiên bản", "Version"},
    {"hub.config_error", "Lỗi cấu hình: {0}", "Configuration error: {0}"},
    {"hub.enroll_code.issued",
     "Mã đăng ký dùng một lần cho {0} ({1}), hết hạn lúc {2} (giờ UTC). Cán bộ CNTT nhập mã "
     "này khi chạy cksctl enroll:",
     "Single-use enrolment code for {0} ({1}), expires at {2} (UTC). The IT officer enters it "
     "in cksctl enroll:"},
    {"hub.enroll_code.rename_needed",
     "Cơ quan {0} trên hub có tên \"{1}\", khác \"{2}\": lệnh không đổi tên cơ quan. Để đổi tên, "
     "thêm --rename; để giữ tên, bỏ --name.",
     "Agency {0} is \"{1}\" on this hub, not \"{2}\": the name is not changed. To rename it add "
     "--rename; to keep it leave out --name."},
    {"hub.enroll_code.rename_needs_name", "--rename cần tên mới: --name \"…\"",
     "--rename needs the new name: --name \"…\""},
    {"hub.enroll_code.type_unknown",
     "Chưa rõ loại của cơ quan {0}: báo cáo tỉnh xếp vào \"khác\" cho tới khi khai báo bằng --type "
     "department|commune|other hoặc agencies import.",
     "The type of agency {0} is not known: the province report counts it as \"other\" until it is "
     "given with --type department|commune|other or agencies import."},
    {"hub.error", "Lỗi: {0}", "Error: {0}"},
    {"hub.expiring.bad_days",
     "Giá trị --days không hợp lệ: \"{0}\" (cần số ngày từ 0 đến {1}, ví dụ 30)",
     "Invalid --days value: \"{0}\" (expected a number of days from 0 to {1}, e.g. 30)"},
    {"hub.expiring.none", "Không có chứng thư số nào hết hạn trong {0} ngày tới.",
     "No certificate expires within the next {0} days."},
    {"hub.expiring.title", "Chứng thư số hết hạn trong {0} ngày tới — toàn tỉnh",
     "Certificates expiring within the next {0} days — whole province"},
    {"hub.expiring.title_agency", "Chứng thư số của {1} ({2}) hết hạn trong {0} ngày tới",
     "Certificates of {1} ({2}) expiring within the next {0} days"},
    {"hub.kind.device", "Thiết bị/dịch vụ", "Device/service"},
    {"hub.kind.individual", "Cá nhân", "Individual"},
    {"hub.kind.organization", "Tổ chức", "Organisation"},
    {"hub.kind.unknown", "Chưa xác định", "Unknown"},
    {"hub.merger.published",
     "Đã thông báo việc sáp nhập {0} thành {1} tới {2} máy trạm; mỗi đơn vị lập kế hoạch bằng: "
     "cksctl merger plan. Mã thông báo:",
     "The merger of {0} into {1} was announced to {2} agent(s); each unit makes its plan with: "
     "cksctl merger plan. Announcement id:"},
    {"hub.merger.unit_unknown", "hub chưa biết cơ quan {0}: hãy viết --from \"{0}=Tên đơn vị\"",
     "the hub does not know agency {0}: write --from \"{0}=Unit name\""},
    {"hub.merger.usage",
     "cách dùng: merger publish --into MÃ --name \"TÊN ĐƠN VỊ MỚI\" --from MÃ[=TÊN][,MÃ…] [--keep "
     "DẤU_VÂN_TAY] [--decision \"…\"]",
     "usage: merger publish --into CODE --name \"NEW UNIT\" --from CODE[=NAME][,CODE…] [--keep "
     "FINGERPRINT] [--decision \"…\"]"},
    {"hub.missing_command",
     "Thiếu lệnh (server-ca, enroll-code, codes, agencies, agents, inventory, tokens, alerts, "
     "expiring, requests, request, merger, report, revoke)",
     "No command given (server-ca, enroll-code, codes, agencies, agents, inventory, tokens, "
     "alerts, expiring, requests, request, merger, report, revoke)"},
    {"hub.missing_option", "Lệnh {0} cần tùy chọn {1}", "Command {0} needs option {1}"},
    {"hub.missing_value", "Thiếu giá trị cho {0}", "Missing value for {0}"},
    {"hub.name_required", "Cơ quan {0} chưa có trên hub: hãy cho biết tên bằng --name \"…\"",
     "Agency {0} is new to this hub: give its name with --name \"…\""},
    {"hub.never", "chưa", "never"},
    {"hub.no", "không", "no"},
    {"hub.pin.count_low", "Đã nhập sai PIN", "Wrong PIN entered"},
    {"hub.pin.final_try", "Còn 1 lần thử PIN", "One PIN try left"},
    {"hub.pin.locked", "Đã khóa PIN", "PIN locked"},
    {"hub.pin.ok", "Bình thường", "OK"},
    {"hub.pin.unknown", "Không rõ", "Unknown"},
    {"hub.report.bad_date",
     "Ngày không hợp lệ cho {0}: \"{1}\" (dạng YYYY-MM-DD, ví dụ 2027-01-15)",
     "Invalid date for {0}: \"{1}\" (YYYY-MM-DD, e.g. 2027-01-15)"},
    {"hub.report.bad_output", "Tệp -o phải có đuôi .xlsx hoặc .pdf: \"{0}\"",
     "The -o file must end in .xlsx or .pdf: \"{0}\""},
    {"hub.report.bad_year", "Năm không hợp lệ: \"{0}\" (ví dụ --year 2026)",
     "Invalid year: \"{0}\" (e.g. --year 2026)"},
    {"hub.report.col.agencies", "Cơ quan đã báo cáo", "Agencies reported"},
    {"hub.report.col.as_of", "Số liệu đến", "As of"},
    {"hub.report.col.staleness", "Số ngày", "Days old"},
    {"hub.report.col.state", "Tình trạng", "State"},
    {"hub.report.col.submitted", "Ngày nộp", "Submitted"},
    {"hub.report.col.version", "Lần nộp", "Version"},
    {"hub.report.deadline.sent",
     "Đã gửi hạn nộp báo cáo năm {0} (hạn {1}, nhắc từ {2}) tới {3} máy trạm.",
     "The deadline of the {0} report (due {1}, reminders from {2}) was sent to {3} agent(s)."},
    {"hub.report.nation.none", "Chưa có tỉnh nào gửi báo cáo năm {0}.",
     "No province has sent its {0} report yet."},
    {"hub.report.nation.title", "Báo cáo năm {0} của các tỉnh: {1} tỉnh đã gửi",
     "Provinces' reports of {0}: {1} sent"},
    {"hub.report.no_agencies", "Hub chưa có cơ quan nào.", "This hub has no agency yet."},
    {"hub.report.province.missing", "Chưa báo cáo ({0}): {1}", "Not reported ({0}): {1}"},
    {"hub.report.province.title", "Báo cáo tổng hợp năm {0}: {1}/{2} cơ quan đã báo cáo",
     "Province report {0}: {1} of {2} agencies have reported"},
    {"hub.report.province.written", "Đã ghi báo cáo tổng hợp năm {0} vào {1}.",
     "The {0} province report was written to {1}."},
    {"hub.report.remind_after_deadline",
     "Ngày bắt đầu nhắc ({0}) phải trước hoặc đúng hạn nộp ({1})",
     "Reminders ({0}) must start on or before the deadline ({1})"},
    {"hub.report.state.draft", "Đang soạn, chưa nộp (lưu lúc {0})",
     "Draft only, not submitted (saved {0})"},
    {"hub.report.state.missing", "Chưa nộp", "Missing"},
    {"hub.report.state.submitted", "Đã nộp", "Submitted"},
    {"hub.report.status.count", "Đã báo cáo {0}/{1} cơ quan; chưa báo cáo {2}.",
     "{0} of {1} agencies have reported; {2} have not."},
    {"hub.report.status.title", "Tình hình nộp báo cáo năm {0} (giờ Việt Nam)",
     "Yearly reports of {0} (Vietnam time)"},
    {"hub.report.submit.queued",
     "Báo cáo tổng hợp năm {0}, bản {1}, đã xếp hàng nhưng chưa gửi được lên hub quốc gia: {2}. "
     "Chạy lại: cks-hub admin upstream sync",
     "The {0} aggregate, version {1}, is queued but did not reach the national hub: {2}. Try "
     "again: cks-hub admin upstream sync"},
    {"hub.report.submit.sent",
     "Đã gửi báo cáo tổng hợp năm {0}, bản {1} ({2}/{3} cơ quan đã báo cáo), lên hub quốc gia {4}.",
     "The {0} aggregate, version {1} ({2}/{3} agencies reported), was sent to the national hub "
     "{4}."},
    {"hub.report.usage",
     "cách dùng: report status --year NĂM [--json] | report province --year NĂM [--json] [-o "
     "TỆP.xlsx|TỆP.pdf] | report deadline --year NĂM --date YYYY-MM-DD [--remind-from YYYY-MM-DD] "
     "| report nation --year NĂM [--json] | report submit --year NĂM",
     "usage: report status --year YEAR [--json] | report province --year YEAR [--json] [-o "
     "FILE.xlsx|FILE.pdf] | report deadline --year YEAR --date YYYY-MM-DD [--remind-from "
     "YYYY-MM-DD] | report nation --year YEAR [--json] | report submit --year YEAR"},
    {"hub.requests.ambiguous", "«{0}» khớp với nhiều đề nghị — hãy ghi thêm ký tự của mã:{1}",
     "«{0}» matches several requests — give more characters of the id:{1}"},
    {"hub.requests.bad_action",
     "Bước xử lý không hợp lệ: \"{0}\" (accept, forward, complete hoặc reject)",
     "Unknown step: \"{0}\" (accept, forward, complete or reject)"},
    {"hub.requests.bad_state", "Trạng thái không hợp lệ: \"{0}\" (dùng một trong: {1})",
     "Unknown state: \"{0}\" (use one of: {1})"},
    {"hub.requests.col.due", "Hạn xử lý", "Due"},
    {"hub.requests.col.form", "Mẫu", "Form"},
    {"hub.requests.col.handled_by", "Nơi xử lý", "Handled by"},
    {"hub.requests.col.id", "Mã đề nghị", "Request id"},
    {"hub.requests.col.received", "Ngày tiếp nhận", "Received"},
    {"hub.requests.count", "Tổng cộng {0} đề nghị, {1} quá hạn.",
     "{0} request(s) in total, {1} overdue."},
    {"hub.requests.moved", "Đã chuyển đề nghị {0} sang «{1}» (người thực hiện: {2}, lúc {3} UTC).",
     "Request {0} is now \"{1}\" (by {2} at {3} UTC)."},
    {"hub.requests.none", "Không có đề nghị nào.", "No request."},
    {"hub.requests.overdue", "(QUÁ HẠN)", "(OVERDUE)"},
    {"hub.requests.reason_required", "Từ chối đề nghị phải nêu rõ lý do: --reason \"…\"",
     "A rejection must say why: --reason \"…\""},
    {"hub.requests.step_usage",
     "Cách dùng: request accept|forward|complete|reject MÃ_ĐỀ_NGHỊ [--reason \"…\"] "
     "[--reference \"…\"] [--by TÊN]",
     "Usage: request accept|forward|complete|reject REQUEST_ID [--reason \"…\"] "
     "[--reference \"…\"] [--by NAME]"},
    {"hub.requests.title", "Đề nghị của các cơ quan trong tỉnh",
     "Requests of the province's agencies"},
    {"hub.requests.title_agency", "Đề nghị của {0} ({1})", "Requests of {0} ({1})"},
    {"hub.requests.unknown", "Hub không có đề nghị {0}.", "This hub has no request {0}."},
    {"hub.revoke.cancelled", "Không thu hồi máy trạm {0}.", "Agent {0} is not revoked."},
    {"hub.revoke.confirm",
     "Thu hồi máy trạm {0} (máy {1}, cơ quan {2} {3})? Máy này sẽ không kết nối được với hub nữa "
     "cho tới khi đăng ký lại. Gõ \"c\" để đồng ý, Enter để thôi: ",
     "Revoke agent {0} (host {1}, agency {2} {3})? It will not reach the hub again until it enrols "
     "anew. Type \"y\" to confirm, Enter to cancel: "},
    {"hub.revoked", "đã thu hồi", "revoked"},
    {"hub.store.missing",
     "Không có kho dữ liệu của hub tại {0}: lệnh admin không tạo kho mới. Hãy kiểm tra [store] url "
     "trong hub.ini, hoặc khởi động cks-hub một lần để tạo kho.",
     "There is no hub store at {0}: admin commands never create one. Check [store] url in hub.ini, "
     "or start cks-hub once to create it."},
    {"hub.tokens.count", "Tổng cộng {0} token.", "{0} token(s) in total."},
    {"hub.tokens.none", "Hub chưa nhận được token nào của cơ quan này.",
     "The hub has received no token of this agency yet."},
    {"hub.tokens.title", "Token của {0} ({1})", "Tokens of {0} ({1})"},
    {"hub.unknown_command", "Lệnh không hợp lệ: \"{0}\"", "Unknown command: \"{0}\""},
    {"hub.unknown_option", "Tùy chọn không hợp lệ: \"{0}\"", "Unknown option: \"{0}\""},
    {"hub.upstream.enroll_failed", "Không đăng ký được với hub quốc gia: {0}",
     "Enrolment with the national hub failed: {0}"},
    {"hub.upstream.enrolled", "Đã đăng ký với hub quốc gia {0}: tỉnh {1} ({2}), mã máy trạm {3}.",
     "Enrolled with the national hub {0}: province {1} ({2}), agent {3}."},
    {"hub.upstream.not_enrolled",
     "Hub của tỉnh chưa đăng ký với hub quốc gia (cks-hub admin upstream enroll --hub URL --code "
     "MÃ --hub-ca TỆP).",
     "This province hub is not enrolled with a national hub (cks-hub admin upstream enroll --hub "
     "URL --code CODE --hub-ca FILE)."},
    {"hub.upstream.sync_failed", "Không gửi được lên hub quốc gia ({0}): {1}",
     "Could not reach the national hub ({0}): {1}"},
    {"hub.upstream.synced", "Đã đồng bộ với hub quốc gia {0}: gửi {1}, còn chờ {2}.",
     "Synced with the national hub {0}: {1} sent, {2} waiting."},
    {"hub.upstream.usage",
     "cách dùng: upstream enroll --hub URL --code MÃ --hub-ca TỆP [--force] | upstream sync",
     "usage: upstream enroll --hub URL --code CODE --hub-ca FILE [--force] | upstream sync"},
    {"hub.yes", "có", "yes"},
    {"identity.field.code", "mã định danh của cơ quan", "the agency's code"},
    {"identity.field.department", "tên Sở Khoa học và Công nghệ", "the Sở's name"},
    {"identity.field.name", "tên cơ quan", "the agency's name"},
    {"identity.field.parent_body", "cơ quan cấp trên", "the body above the agency"},
    {"identity.field.place", "địa danh ghi ở dòng ngày tháng", "the place in date lines"},
    {"identity.field.province", "tỉnh/thành phố", "the province"},
    {"identity.unknown.code",
     "(chưa rõ mã định danh — đặt [agency] code trong agent.ini hoặc đăng ký với Sở)",
     "(code not known — set [agency] code in agent.ini or enrol with the province)"},
    {"identity.unknown.department",
     "(chưa rõ Sở Khoa học và Công nghệ — đặt [agency] department hoặc province trong agent.ini, "
     "hoặc đăng ký với Sở)",
     "(the Sở is not known — set [agency] department or province in agent.ini, or enrol with the "
     "province)"},
    {"identity.unknown.name",
     "(chưa rõ tên cơ quan — đặt [agency] name trong agent.ini hoặc đăng ký với Sở)",
     "(agency name not known — set [agency] name in agent.ini or enrol with the province)"},
    {"identity.unknown.parent_body",
     "(chưa rõ cơ quan cấp trên — đặt [agency] parent_body hoặc province trong agent.ini, hoặc "
     "đăng ký với Sở)",
     "(body above not known — set [agency] parent_body or province in agent.ini, or enrol with the "
     "province)"},
    {"identity.unknown.place",
     "(chưa rõ tỉnh/thành phố — đặt [agency] province trong agent.ini hoặc đăng ký với Sở)",
     "(province not known — set [agency] province in agent.ini or enrol with the province)"},
    {"identity.unknown.province",
     "(chưa rõ tỉnh/thành phố — đặt [agency] province trong agent.ini hoặc đăng ký với Sở)",
     "(province not known — set [agency] province in agent.ini or enrol with the province)"},
    {"identity.unknown_hub.province",
     "(chưa rõ tỉnh/thành phố — đặt [province] name trong hub.ini)",
     "(province not known — set [province] name in hub.ini)"},
    {"identity.warning",
     "Cảnh báo: chưa rõ {0} — văn bản in ghi «chưa rõ» ở chỗ đó. Hãy đăng ký với Sở (cksctl "
     "enroll) hoặc đặt mục [agency] trong {1}.",
     "Warning: {0} not known — the document says so where it belongs. Enrol with the province "
     "(cksctl enroll) or set [agency] in {1}."},
    {"ini.empty_section", "tên nhóm để trống", "empty section name"},
    {"ini.missing_key", "thiếu tên mục trước dấu '='", "missing key before '='"},
    {"ini.not_key_value", "cần dạng 'mục = giá trị', nhưng dòng này là \"{0}\"",
     "expected 'key = value', got \"{0}\""},
    {"ini.set_twice", "đặt hai lần (lần đầu ở dòng {0})", "set twice (first on line {0})"},
    {"ini.unclosed_section", "thiếu dấu ']' đóng tên nhóm", "section header without closing ']'"},
    {"kind.device", "Thiết bị/dịch vụ", "Device/service"},
    {"kind.individual", "Cá nhân", "Individual"},
    {"kind.organization", "Tổ chức", "Organisation"},
    {"kind.unknown", "Chưa xác định", "Unknown"},
    {"mail.ack",
     "Để xác nhận đã xem một cảnh báo, chạy trên máy có cks-agent: cksctl ack ID (ID là số trong "
     "ngoặc vuông, ví dụ: cksctl ack {0}).",
     "To acknowledge an alert, run on the PC with cks-agent: cksctl ack ID (the number in square "
     "brackets, e.g. cksctl ack {0})."},
    {"mail.automatic",
     "Thư này do cks-agent trên máy {0} gửi tự động, mỗi ngày nhiều nhất một lần khi có cảnh báo "
     "mới. Xin đừng trả lời thư này.",
     "Sent automatically by cks-agent on {0}, at most once a day when there is something new. "
     "Please do not reply."},
    {"mail.count_critical", "{0} cảnh báo nghiêm trọng", "{0} critical alert(s)"},
    {"mail.count_info", "{0} thông báo", "{0} notice(s)"},
    {"mail.count_warning", "{0} cảnh báo", "{0} warning(s)"},
    {"mail.group_critical", "NGHIÊM TRỌNG ({0})", "CRITICAL ({0})"},
    {"mail.group_info", "THÔNG BÁO ({0})", "NOTICES ({0})"},
    {"mail.group_resolved", "ĐÃ XỬ LÝ TỪ BẢN TIN TRƯỚC ({0})",
     "RESOLVED SINCE THE LAST DIGEST ({0})"},
    {"mail.group_warning", "CẢNH BÁO ({0})", "WARNINGS ({0})"},
    {"mail.intro", "Bản tin cảnh báo chữ ký số của {0}, ngày {1}: {2} mục mới kể từ bản tin trước.",
     "Digital signature alerts of {0}, {1}: {2} new since the last digest."},
    {"mail.raised", "Phát sinh lúc {0}", "Raised {0}"},
    {"mail.state_acknowledged", "đã có người xác nhận", "acknowledged"},
    {"mail.state_new", "mới", "new"},
    {"mail.state_open", "chưa xử lý", "open"},
    {"mail.state_resolved", "đã xử lý", "resolved"},
    {"mail.state_resolved_cleared", "đã hết", "the cause is gone"},
    {"mail.state_resolved_deadline_passed", "đã qua hạn chót", "the deadline has passed"},
    {"mail.state_resolved_renewed", "đã gia hạn", "renewed"},
    {"mail.state_resolved_superseded", "thay bằng cảnh báo mới hơn", "superseded by a newer alert"},
    {"mail.state_snoozed", "tạm hoãn đến {0}", "snoozed until {0}"},
    {"mail.subject", "[cks] {0}: {1}", "[cks] {0}: {1}"},
    {"mail.subject_resolved", "các cảnh báo đã được xử lý", "alerts resolved"},
    {"merger.action.change", "Thay đổi thông tin", "Change of information"},
    {"merger.action.keep", "Giữ nguyên", "Keep"},
    {"merger.action.review", "Xem xét", "Review"},
    {"merger.action.revoke", "Thu hồi", "Revoke"},
    {"merger.applied",
     "Đã lập {0} đề nghị cho việc sáp nhập thành {1} ({2} thay đổi thông tin, {3} thu hồi); các đề "
     "nghị sẽ được gửi về Sở KH&CN khi có kết nối. Mã các đề nghị:",
     "{0} requests filed for the merger into {1} ({2} changes of information, {3} revocations); "
     "they go to the province as soon as there is a connection. Request ids:"},
    {"merger.apply_item", "Mục {0} ({1})", "Item {0} ({1})"},
    {"merger.apply_refused",
     "Chưa lập đề nghị nào — kế hoạch có mục không hợp lệ (sửa hoặc đặt \"include\": false rồi "
     "chạy lại):",
     "No request was filed — some items of the plan are refused (fix them or set \"include\": "
     "false, then run again):"},
    {"merger.code_invalid", "Mã định danh {0} không hợp lệ: {1}",
     "Agency code {0} is not valid: {1}"},
    {"merger.code_repeated", "Đơn vị {0} được nêu hai lần", "Unit {0} is given twice"},
    {"merger.col.action", "Việc cần làm", "Action"},
    {"merger.col.item", "STT", "#"},
    {"merger.col.send", "Gửi", "Send"},
    {"merger.col.token", "Token", "Token"},
    {"merger.col.unit", "Đơn vị cũ", "Former unit"},
    {"merger.col.why", "Lý do", "Why"},
    {"merger.expired", "{0} chứng thư số của các đơn vị đã hết hạn: không cần lập đề nghị",
     "{0} certificate(s) of the units have expired: no request is needed"},
    {"merger.from_missing", "Chưa nêu các đơn vị được sáp nhập (--from MÃ[,MÃ…])",
     "The merged units are missing (--from CODE[,CODE…])"},
    {"merger.keep_unknown",
     "{0} không phải chứng thư số tổ chức còn hạn của các đơn vị được sáp nhập (xem: cksctl certs)",
     "{0} is not a valid organisation certificate of the merged units (see: cksctl certs)"},
    {"merger.name_missing", "Chưa nêu tên đơn vị mới (--name \"Tên đơn vị\")",
     "The new unit's name is missing (--name \"Unit name\")"},
    {"merger.no_organization_certificate",
     "Không thấy chứng thư số tổ chức còn hạn của {1} ({0}) — nếu có, hãy cắm token vào máy này "
     "rồi lập lại kế hoạch",
     "No valid organisation certificate of {1} ({0}) was found — if there is one, plug its token "
     "into this PC and make the plan again"},
    {"merger.nothing_to_apply", "Kế hoạch không có đề nghị nào cần lập",
     "The plan has no request to file"},
    {"merger.plan_refused", "Không lập được kế hoạch sáp nhập:", "The merger plan cannot be made:"},
    {"merger.plan_title", "Kế hoạch chứng thư số khi sáp nhập {0} thành {1} ({2})",
     "Certificate plan for merging {0} into {1} ({2})"},
    {"merger.plan_unreadable", "Không đọc được tệp kế hoạch {0}: {1}",
     "The plan file {0} cannot be read: {1}"},
    {"merger.plan_written",
     "Đã ghi kế hoạch vào {0}. Hãy xem lại; mục nào không gửi thì đặt \"include\": false. Sau đó "
     "chạy: cksctl merger apply {0}",
     "The plan is in {0}. Review it; set \"include\": false on any item not to send. Then run: "
     "cksctl merger apply {0}"},
    {"merger.published_none",
     "Sở KH&CN chưa công bố việc sáp nhập nào cho đơn vị này — hãy nêu --into MÃ --name \"Tên đơn "
     "vị mới\" --from MÃ[,MÃ…]",
     "The province has not published a merger for this unit — give --into CODE --name \"New unit\" "
     "--from CODE[,CODE…]"},
    {"merger.summary",
     "Sẽ lập {0} đề nghị thay đổi thông tin và {1} đề nghị thu hồi; {2} chứng thư số giữ nguyên; "
     "{3} cần xem xét.",
     "{0} change(s) of information and {1} revocation(s) to file; {2} certificate(s) kept; {3} to "
     "review."},
    {"merger.unit_name_missing",
     "Chưa biết tên của đơn vị {0}: hãy viết --from \"{0}=Tên đơn vị\" (tên như trên chứng thư số)",
     "The name of unit {0} is not known: write --from \"{0}=Unit name\" (as the certificates spell "
     "it)"},
    {"merger.unmatched",
     "{0} chứng thư số còn hạn không khớp tên đơn vị nào (xem mục \"unmatched\" trong tệp kế "
     "hoạch; kiểm tra lại tên đơn vị nếu thấy thiếu)",
     "{0} valid certificate(s) match no unit's name (see \"unmatched\" in the plan file; check the "
     "units' names if some are missing)"},
    {"merger.why.chosen", "Được chọn để đổi thông tin theo tên đơn vị mới",
     "Chosen to take the new unit's name: change of information"},
    {"merger.why.device", "Chứng thư số thiết bị, dịch vụ: hướng dẫn không quy định — cần xem xét",
     "Device or service certificate: the guidance does not say — decide by hand"},
    {"merger.why.other_unit", "Tổ chức không còn sau sáp nhập: thu hồi",
     "The organisation does not go on after the merger: revoke"},
    {"merger.why.personal", "Cá nhân của đơn vị được sáp nhập: thay đổi thông tin theo đơn vị mới",
     "Holder at a merged unit: change of information to the new unit"},
    {"merger.why.personal_same_unit", "Cá nhân của đơn vị giữ nguyên tên: không cần thay đổi",
     "Holder at the unit whose name stays: nothing to change"},
    {"merger.why.surviving_name", "Đơn vị mới giữ tên đơn vị này: tiếp tục sử dụng",
     "The new unit keeps this unit's name: it stays in use"},
    {"merger.why.unused", "Token lâu không được sử dụng: đề xuất thu hồi (rà soát trước khi gửi)",
     "Token unused for a long time: proposed for revocation (check before sending)"},
    {"module.failed", "lỗi", "failed"},
    {"module.ok", "bình thường", "ok"},
    {"module.timeout", "không phản hồi (quá thời gian chờ)", "not responding (timed out)"},
    {"no", "không", "no"},
    {"pin.count_low", "Đã nhập sai PIN", "Wrong PIN entered"},
    {"pin.final_try", "Còn 1 lần thử PIN", "One PIN try left"},
    {"pin.locked", "Đã khóa PIN", "PIN locked"},
    {"pin.ok", "Bình thường", "OK"},
    {"pin.unknown", "Không rõ", "Unknown"},
    {"print.agencies_expected", "Số cơ quan phải báo cáo", "Agencies expected to report"},
    {"print.agencies_missing", "Số cơ quan chưa báo cáo", "Agencies that have not reported"},
    {"print.agencies_reported", "Số cơ quan đã báo cáo", "Agencies that have reported"},
    {"print.agencies_unlisted", "Số cơ quan báo cáo ngoài danh sách",
     "Agencies reporting outside the list"},
    {"print.agency_code", "Mã định danh: {0}", "Agency code: {0}"},
    {"print.agency_remarks.intro", "Theo báo cáo mới nhất của từng cơ quan.",
     "From each agency's latest report."},
    {"print.agency_remarks.none",
     "Chưa cơ quan nào nêu khó khăn, vướng mắc hay đề xuất, kiến nghị.",
     "No agency has reported difficulties or proposals."},
    {"print.as_of", "(Số liệu tính đến {0}, giờ Việt Nam)", "(Figures as of {0}, Vietnam time)"},
    {"print.by_agency.intro",
     "Mỗi cơ quan theo báo cáo nộp sau cùng; «Số ngày» là số ngày từ thời điểm số liệu đến lúc "
     "tổng hợp.",
     "Each agency by its latest submitted report; \"Days old\" counts the days from the figures' "
     "as-of instant to the aggregation."},
    {"print.by_agency.none", "Chưa có cơ quan nào nộp báo cáo.",
     "No agency has submitted a report yet."},
    {"print.candidates.intro",
     "Chứng thư số còn hiệu lực trên token không được cắm vào máy từ {0} ngày trở lên: đề nghị rà "
     "soát, thu hồi nếu không còn sử dụng.",
     "Valid certificates on tokens not plugged in for {0} days or more: review them and revoke "
     "those no longer used."},
    {"print.candidates.none", "Không có chứng thư số nào cần đề xuất thu hồi.",
     "No certificate is proposed for revocation."},
    {"print.caption.completeness", "Mức độ đầy đủ của báo cáo", "Completeness"},
    {"print.caption.demand", "Nhu cầu do cơ quan dự kiến", "Demand estimated by the agency"},
    {"print.caption.demand_province", "Nhu cầu các cơ quan dự kiến (cộng dồn)",
     "Demand estimated by the agencies (summed)"},
    {"print.caption.pin", "Token theo trạng thái PIN", "Tokens by PIN state"},
    {"print.caption.province_totals", "Số liệu chính toàn tỉnh",
     "Headline figures of the province"},
    {"print.caption.renewals",
     "Chứng thư số đến hạn gia hạn trong năm {0}, theo tháng (giờ Việt Nam)",
     "Certificates falling due for renewal in {0}, by month (Vietnam time)"},
    {"print.caption.token_usage", "Sử dụng, mất, hỏng", "Use, loss and damage"},
    {"print.caption.tokens_not_seen", "Token không được cắm vào máy trong năm {0}",
     "Tokens not plugged in during {0}"},
    {"print.col.agencies_expected", "Phải báo cáo", "Expected"},
    {"print.col.agencies_reported", "Đã báo cáo", "Reported"},
    {"print.col.agencies_unlisted", "Ngoài danh sách", "Unlisted"},
    {"print.col.agency_code", "Mã cơ quan", "Agency code"},
    {"print.col.agency_name", "Tên cơ quan", "Agency"},
    {"print.col.agency_type", "Loại cơ quan", "Agency type"},
    {"print.col.as_of", "Số liệu đến", "As of"},
    {"print.col.count", "Số lượng", "Count"},
    {"print.col.figure", "Chỉ tiêu", "Figure"},
    {"print.col.fingerprint", "Dấu vân tay SHA-256", "SHA-256 fingerprint"},
    {"print.col.holder", "Chủ thể", "Holder"},
    {"print.col.item", "Nội dung", "Item"},
    {"print.col.kind", "Loại thuê bao", "Subscriber kind"},
    {"print.col.last_seen", "Lần cuối thấy", "Last seen"},
    {"print.col.measured", "Số đề nghị đo thời gian", "Measured"},
    {"print.col.median_days", "Trung vị (ngày làm việc)", "Median (working days)"},
    {"print.col.month", "Tháng", "Month"},
    {"print.col.note", "Ghi chú", "Note"},
    {"print.col.pin_state", "Trạng thái PIN", "PIN state"},
    {"print.col.remark", "Ý kiến", "Remark"},
    {"print.col.request_kind", "Loại đề nghị", "Request kind"},
    {"print.col.staleness", "Số ngày", "Days old"},
    {"print.col.submitted_at", "Ngày nộp", "Submitted"},
    {"print.col.token_serial", "Số serial token", "Token serial"},
    {"print.col.total", "Tổng", "Total"},
    {"print.col.version", "Lần nộp", "Version"},
    {"print.col.worst_days", "Lâu nhất (ngày làm việc)", "Longest (working days)"},
    {"print.date", "ngày {0} tháng {1} năm {2}", "{0}/{1}/{2}"},
    {"print.missing.intro",
     "{0}/{1} cơ quan chưa nộp báo cáo:", "{0} of {1} agencies have not submitted a report:"},
    {"print.missing.none", "Tất cả cơ quan đã nộp báo cáo.",
     "Every agency has submitted its report."},
    {"print.note.candidates", "token không thấy từ {0} ngày", "token not seen for {0} days"},
    {"print.note.working_days",
     "Thời gian xử lý tính bằng ngày làm việc, từ ngày Sở KH&CN tiếp nhận đến ngày hoàn thành "
     "(không tính ngày tiếp nhận).",
     "Time to complete in working days, from the day the province received a request to the day it "
     "was completed (the first day not counted)."},
    {"print.province_as_of", "(Tổng hợp lúc {0}, giờ Việt Nam: {1}/{2} cơ quan đã báo cáo)",
     "(Aggregated at {0}, Vietnam time: {1} of {2} agencies have reported)"},
    {"print.province_issuer", "Sở Khoa học và Công nghệ", "Department of Science and Technology"},
    {"print.section.agency_remarks", "Khó khăn, vướng mắc và đề xuất, kiến nghị của các cơ quan",
     "Difficulties and proposals of the agencies"},
    {"print.section.by_agency", "Số liệu theo cơ quan", "Figures by agency"},
    {"print.section.by_type", "Số liệu theo loại cơ quan", "Figures by agency type"},
    {"print.section.candidates", "Chứng thư số đề xuất thu hồi",
     "Certificates proposed for revocation"},
    {"print.section.certificates", "Chứng thư số theo loại thuê bao và tình trạng (đến {0})",
     "Certificates by subscriber kind and status (as of {0})"},
    {"print.section.missing", "Cơ quan chưa báo cáo", "Agencies that have not reported"},
    {"print.section.plan", "Kế hoạch, nhu cầu năm {0}", "Plan and demand for {0}"},
    {"print.section.province_summary", "Tổng hợp toàn tỉnh năm {0}", "Province summary, {0}"},
    {"print.section.remarks", "Khó khăn, vướng mắc và đề xuất, kiến nghị",
     "Difficulties and proposals"},
    {"print.section.requests", "Đề nghị trong năm {0}", "Requests during {0}"},
    {"print.section.summary", "Số liệu chính", "Headline figures"},
    {"print.section.tokens", "Thiết bị lưu khóa bí mật (token)", "Key storage devices (tokens)"},
    {"print.sheet.agency_remarks", "Kiến nghị của cơ quan", "Agency remarks"},
    {"print.sheet.by_agency", "Theo cơ quan", "By agency"},
    {"print.sheet.by_type", "Theo loại cơ quan", "By agency type"},
    {"print.sheet.candidates", "Đề xuất thu hồi", "Revocation candidates"},
    {"print.sheet.certificates", "Chứng thư số", "Certificates"},
    {"print.sheet.missing", "Chưa báo cáo", "Missing"},
    {"print.sheet.plan", "Kế hoạch năm sau", "Next-year plan"},
    {"print.sheet.remarks", "Kiến nghị", "Remarks"},
    {"print.sheet.requests", "Đề nghị", "Requests"},
    {"print.sheet.summary", "Tổng hợp", "Summary"},
    {"print.sheet.tokens", "Thiết bị lưu khóa", "Tokens"},
    {"print.short.certificates_expired", "CTS hết hạn", "Certificates expired"},
    {"print.short.certificates_valid", "CTS còn hiệu lực", "Certificates valid"},
    {"print.short.renewals_due_next_year", "Gia hạn năm sau", "Renewals due next year"},
    {"print.short.tokens", "Token", "Tokens"},
    {"print.short.tokens_locked", "Token khóa PIN", "Tokens PIN-locked"},
    {"print.signature.note", "(Ký, ghi rõ họ tên, đóng dấu)", "(Signature, full name and seal)"},
    {"print.signature.province_title", "GIÁM ĐỐC", "DIRECTOR"},
    {"print.status.cancelled", "Đã hủy", "Cancelled"},
    {"print.status.completed", "Hoàn thành", "Completed"},
    {"print.status.expired", "Đã hết hạn", "Expired"},
    {"print.status.expiring", "Sắp hết hạn", "Expiring"},
    {"print.status.not_yet_valid", "Chưa có hiệu lực", "Not yet valid"},
    {"print.status.pending", "Đang xử lý", "Pending"},
    {"print.status.rejected", "Bị từ chối", "Rejected"},
    {"print.status.revoked", "Đã thu hồi", "Revoked"},
    {"print.status.unparseable", "Không đọc được", "Unreadable"},
    {"print.status.valid", "Còn hiệu lực", "Valid"},
    {"print.title", "Báo cáo tình hình quản lý, sử dụng chữ ký số năm {0}",
     "Report on the management and use of digital signatures, {0}"},
    {"print.tokens_damaged", "Token báo hỏng trong năm", "Tokens reported damaged during the year"},
    {"print.tokens_lost", "Token báo mất trong năm", "Tokens reported lost during the year"},
    {"print.total.certificates_expired", "Chứng thư số đã hết hạn", "Certificates expired"},
    {"print.total.certificates_expiring", "Chứng thư số sắp hết hạn (trong số còn hiệu lực)",
     "Certificates expiring (among the valid ones)"},
    {"print.total.certificates_revoked", "Chứng thư số đã thu hồi", "Certificates revoked"},
    {"print.total.certificates_valid", "Chứng thư số còn hiệu lực", "Certificates valid"},
    {"print.total.expected_new_certificates", "Chứng thư số dự kiến cấp mới năm sau",
     "New certificates expected next year"},
    {"print.total.expected_revocations", "Chứng thư số dự kiến thu hồi năm sau",
     "Revocations expected next year"},
    {"print.total.renewals_due_next_year", "Chứng thư số đến hạn gia hạn năm sau",
     "Renewals falling due next year"},
    {"print.total.requests_completed", "Đề nghị đã hoàn thành", "Requests completed"},
    {"print.total.requests_filed", "Đề nghị đã gửi trong năm", "Requests filed during the year"},
    {"print.total.requests_pending", "Đề nghị đang xử lý", "Requests pending"},
    {"print.total.revocation_candidates", "Chứng thư số đề xuất thu hồi (token lâu không dùng)",
     "Certificates proposed for revocation (tokens long unused)"},
    {"print.total.tokens", "Thiết bị lưu khóa bí mật (token)", "Tokens"},
    {"print.total.tokens_locked", "Token bị khóa PIN", "Tokens PIN-locked"},
    {"print.total.tokens_lost_or_damaged", "Token báo mất hoặc hỏng", "Tokens lost or damaged"},
    {"print.total.tokens_not_seen", "Token không được cắm vào máy trong năm",
     "Tokens not plugged in during the year"},
    {"print.total.tokens_to_replace", "Token dự kiến thay thế năm sau",
     "Tokens to replace next year"},
    {"print.total_line", "Tổng cộng", "Total"},
    {"print.unlisted_mark", "(ngoài danh sách)", "(not on the list)"},
    {"report.agency_type.commune", "UBND xã, phường, đặc khu",
     "Commune, ward and special-zone People's Committees"},
    {"report.agency_type.department", "Sở, ban, ngành", "Departments, boards and offices"},
    {"report.agency_type.other", "Cơ quan, đơn vị khác", "Other agencies"},
    {"report.assignment_malformed",
     "«{0}» không đúng dạng MỤC=GIÁ_TRỊ (ví dụ: expected_new.individual=5)",
     "\"{0}\" is not of the form FIELD=VALUE (for example: expected_new.individual=5)"},
    {"report.field.expected_new.device",
     "Số chứng thư số dự kiến cấp mới cho thiết bị, dịch vụ, phần mềm",
     "Expected new certificates for devices, services and software"},
    {"report.field.expected_new.individual", "Số chứng thư số dự kiến cấp mới cho cá nhân",
     "Expected new certificates for individuals"},
    {"report.field.expected_new.organization",
     "Số chứng thư số dự kiến cấp mới cho cơ quan, tổ chức",
     "Expected new certificates for organisations"},
    {"report.field.expected_revocations", "Số chứng thư số dự kiến thu hồi",
     "Expected revocations"},
    {"report.field.note.expected_new", "Ghi chú về nhu cầu cấp mới",
     "Note on the expected new certificates"},
    {"report.field.note.expected_revocations", "Ghi chú về dự kiến thu hồi",
     "Note on the expected revocations"},
    {"report.field.note.tokens_to_replace", "Ghi chú về thiết bị lưu khóa bí mật cần thay thế",
     "Note on the tokens to replace"},
    {"report.field.remarks.difficulties", "Khó khăn, vướng mắc", "Difficulties"},
    {"report.field.remarks.proposals", "Đề xuất, kiến nghị", "Proposals"},
    {"report.field.tokens_to_replace", "Số thiết bị lưu khóa bí mật cần thay thế",
     "Tokens to replace"},
    {"report.field_not_count", "{0} ({1}) phải là số nguyên từ 0 đến {3}: «{2}»",
     "{0} ({1}) must be a whole number from 0 to {3}: \"{2}\""},
    {"report.field_not_text",
     "{0} ({1}) không phải văn bản UTF-8 hợp lệ — hãy nhập lại bằng bảng mã Unicode",
     "{0} ({1}) is not valid UTF-8 text — enter it again in Unicode"},
    {"report.field_too_long", "{0} ({1}) dài {2} ký tự, tối đa {3} ký tự",
     "{0} ({1}) is {2} characters long; at most {3} are allowed"},
    {"report.field_unknown", "Báo cáo không có mục «{0}»; các mục nhập được: {1}",
     "The report has no field \"{0}\"; the fields you can set are: {1}"},
    {"reportcli.agency", "Đơn vị: {0} (mã {1})", "Agency: {0} (code {1})"},
    {"reportcli.as_of", "Bản nháp, số liệu tính đến {0}", "Draft, figures as of {0}"},
    {"reportcli.bad_year", "Năm không hợp lệ: «{0}» (từ 2000 đến 2100)",
     "Not a valid year: \"{0}\" (from 2000 to 2100)"},
    {"reportcli.candidates", "Đề xuất thu hồi (token không được dùng từ {0} ngày trở lên): {1}",
     "Proposed for revocation (token unused for {0} days or more): {1}"},
    {"reportcli.certificates_line",
     "Còn hiệu lực: {0} (trong đó {1} hết hạn trong {2} ngày tới); đã hết hạn: {3}; đã thu hồi: "
     "{4}",
     "Valid: {0} ({1} of them expire within {2} days); expired: {3}; revoked: {4}"},
    {"reportcli.col.cancelled", "Đã hủy", "Cancelled"},
    {"reportcli.col.completed", "Hoàn thành", "Completed"},
    {"reportcli.col.expired", "Đã hết hạn", "Expired"},
    {"reportcli.col.expiring", "Sắp hết hạn", "Expiring"},
    {"reportcli.col.kind", "Loại", "Kind"},
    {"reportcli.col.median", "Trung vị (ngày làm việc)", "Median (working days)"},
    {"reportcli.col.other", "Khác", "Other"},
    {"reportcli.col.pending", "Đang xử lý", "Pending"},
    {"reportcli.col.rejected", "Bị từ chối", "Rejected"},
    {"reportcli.col.request_kind", "Loại đề nghị", "Request"},
    {"reportcli.col.revoked", "Đã thu hồi", "Revoked"},
    {"reportcli.col.valid", "Còn hiệu lực", "Valid"},
    {"reportcli.col.worst", "Lâu nhất (ngày làm việc)", "Worst (working days)"},
    {"reportcli.difficulties", "Khó khăn, vướng mắc: {0}", "Difficulties: {0}"},
    {"reportcli.expected_new",
     "Dự kiến cấp mới: cá nhân {0}, tổ chức {1}, thiết bị {2} — ghi chú: {3}",
     "Expected new certificates: individuals {0}, organizations {1}, devices {2} — note: {3}"},
    {"reportcli.expected_revocations", "Dự kiến thu hồi: {0} — ghi chú: {1}",
     "Expected revocations: {0} — note: {1}"},
    {"reportcli.export_failed", "Không xuất được báo cáo: {0}", "The report was not exported: {0}"},
    {"reportcli.export_format", "Tệp xuất phải có đuôi .pdf hoặc .xlsx: {0}",
     "The export file must end in .pdf or .xlsx: {0}"},
    {"reportcli.exported_draft", "Đã xuất bản nháp báo cáo năm {0} (chưa gửi Sở KH&CN) ra {1}",
     "The draft of the {0} report (not yet sent to the province) was exported to {1}"},
    {"reportcli.exported_version", "Đã xuất báo cáo năm {0}, bản {1} đã gửi Sở KH&CN, ra {2}",
     "The {0} report, version {1} as sent to the province, was exported to {2}"},
    {"reportcli.hint",
     "Nhập số liệu: cksctl report set --year {0} TRƯỜNG=GIÁ_TRỊ … (các trường: {1}). Gửi Sở KH&CN: "
     "cksctl report submit --year {0}",
     "Enter figures: cksctl report set --year {0} FIELD=VALUE … (fields: {1}). Send to the "
     "province: cksctl report submit --year {0}"},
    {"reportcli.month", "tháng {0}: {1}", "month {0}: {1}"},
    {"reportcli.no_requests", "Không có đề nghị nào trong năm", "No request during the year"},
    {"reportcli.not_entered", "(chưa nhập)", "(not entered)"},
    {"reportcli.not_submitted", "Chưa gửi Sở KH&CN; hạn nộp: {0}",
     "Not sent to the province yet; due: {0}"},
    {"reportcli.proposals", "Đề xuất, kiến nghị: {0}", "Proposals: {0}"},
    {"reportcli.refused", "Không lưu số liệu nào:", "Nothing was saved:"},
    {"reportcli.renewals", "Chứng thư số đến hạn gia hạn: {0} ({1})",
     "Certificates due for renewal: {0} ({1})"},
    {"reportcli.saved", "Đã lưu số liệu của báo cáo năm {0}.",
     "Saved the figures of the {0} report."},
    {"reportcli.section.activity", "3. Đề nghị trong năm {0}", "3. Requests during {0}"},
    {"reportcli.section.certificates", "1. Chứng thư số", "1. Certificates"},
    {"reportcli.section.plan", "4. Kế hoạch năm {0}", "4. Plan for {0}"},
    {"reportcli.section.remarks", "5. Khó khăn, vướng mắc; đề xuất, kiến nghị",
     "5. Difficulties and proposals"},
    {"reportcli.section.tokens", "2. Thiết bị lưu khóa bí mật (token)",
     "2. Key storage devices (tokens)"},
    {"reportcli.set_missing", "Chưa nêu số liệu nào (TRƯỜNG=GIÁ_TRỊ); các trường: {0}",
     "No figure given (FIELD=VALUE); the fields: {0}"},
    {"reportcli.submitted",
     "Đã chốt báo cáo năm {0}, bản {1}; báo cáo sẽ được gửi Sở KH&CN ở lần đồng bộ tới.",
     "Froze version {1} of the {0} report; it goes to the province at the next sync."},
    {"reportcli.submitted_before", "Đã gửi Sở KH&CN {0} lần; bản gần nhất là bản {1}, gửi lúc {2}",
     "Sent to the province {0} time(s); the latest is version {1}, sent at {2}"},
    {"reportcli.title", "BÁO CÁO NĂM {0} VỀ QUẢN LÝ, SỬ DỤNG CHỮ KÝ SỐ",
     "YEARLY REPORT {0} ON THE MANAGEMENT AND USE OF DIGITAL SIGNATURES"},
    {"reportcli.tokens_line",
     "Tổng số: {0}; bình thường: {1}; đã nhập sai PIN: {2}; bị khóa PIN: {3}",
     "Total: {0}; normal: {1}; wrong PIN entered: {2}; PIN locked: {3}"},
    {"reportcli.tokens_lost", "Báo mất: {0}; báo hỏng: {1}", "Reported lost: {0}; damaged: {1}"},
    {"reportcli.tokens_not_seen", "Không được sử dụng trong năm: {0} ({1})",
     "Not used during the year: {0} ({1})"},
    {"reportcli.tokens_to_replace", "Token cần thay thế: {0} — ghi chú: {1}",
     "Tokens to replace: {0} — note: {1}"},
    {"reportcli.year_out_of_range",
     "Không nhận năm {0}: cơ quan chỉ báo cáo các năm từ {1} (năm có dữ liệu đầu tiên) đến {2}",
     "Year {0} is not accepted: this agency reports on the years {1} (its first record) to {2}"},
    {"request.certificate_expired",
     "Chứng thư số {0} đã hết hạn từ ngày {1} — không gia hạn hay thay đổi thông tin được nữa, cần "
     "đề nghị cấp mới",
     "Certificate {0} expired on {1} — it can no longer be renewed or changed; file a request for "
     "a new one"},
    {"request.certificate_missing", "Chưa nêu chứng thư số của đề nghị (--cert DẤU_VÂN_TAY)",
     "No certificate given for the request (--cert FINGERPRINT)"},
    {"request.certificate_not_yet_valid",
     "Chứng thư số {0} chưa có hiệu lực (có hiệu lực từ ngày {1})",
     "Certificate {0} is not valid yet (valid from {1})"},
    {"request.certificate_unknown",
     "Không có chứng thư số {0} trong danh mục của cơ quan (xem: cksctl certs)",
     "There is no certificate {0} in the agency's inventory (see: cksctl certs)"},
    {"request.certificate_unreadable", "Chứng thư số {0} không đọc được ({1}) — hãy báo Sở KH&CN",
     "Certificate {0} cannot be read ({1}) — tell the province"},
    {"request.change_case.device_name", "Thiết bị, dịch vụ, phần mềm đổi tên",
     "The device, service or software was renamed"},
    {"request.change_case.device_upgrade",
     "Thiết bị, dịch vụ, phần mềm nâng cấp phiên bản, bổ sung tính năng",
     "The device, service or software was upgraded or gained features"},
    {"request.change_case.individual_agency", "Cá nhân chuyển cơ quan, tổ chức công tác",
     "The holder moved to another agency"},
    {"request.change_case.individual_email", "Cá nhân thay đổi địa chỉ thư điện tử công vụ",
     "The holder's official e-mail changed"},
    {"request.change_case.organization_address", "Cơ quan, tổ chức thay đổi địa chỉ hoạt động",
     "The organisation's address changed"},
    {"request.change_case.organization_name", "Cơ quan, tổ chức đổi tên",
     "The organisation was renamed"},
    {"request.change_case_missing",
     "Đề nghị thay đổi thông tin phải nêu trường hợp thay đổi theo Điều 15 Nghị định 68/2024/NĐ-CP "
     "(--case): {0}",
     "A change of information must name its case under Art. 15 of Decree 68/2024/NĐ-CP (--case): "
     "{0}"},
    {"request.change_case_wrong_kind",
     "Trường hợp «{0}» dành cho thuê bao loại «{1}», nhưng chứng thư số {2} thuộc loại «{3}»",
     "Case \"{0}\" is for subscribers of kind \"{1}\", but certificate {2} is of kind \"{3}\""},
    {"request.conflict_duplicate",
     "Đã có đề nghị «{0}» cho {1} đang mở (mã {2}, trạng thái: {3}) — không lập thêm đề nghị trùng",
     "An open \"{0}\" request for {1} already exists (ID {2}, state: {3}) — no duplicate is filed"},
    {"request.conflict_revocation_pending",
     "Chứng thư số {1} đang có đề nghị thu hồi (mã {2}) — không lập đề nghị «{0}» cho chứng thư số "
     "sắp bị thu hồi",
     "Certificate {1} has an open revocation request (ID {2}) — no \"{0}\" request is filed for a "
     "certificate being revoked"},
    {"request.field.address", "Địa chỉ hoạt động", "Operating address"},
    {"request.field.agency", "Cơ quan, tổ chức công tác", "Agency (place of work)"},
    {"request.field.agency_code", "Mã định danh điện tử của cơ quan",
     "Agency's document exchange code"},
    {"request.field.description", "Nội dung nâng cấp (phiên bản, tính năng)",
     "What was upgraded (version, features)"},
    {"request.field.email", "Địa chỉ thư điện tử công vụ", "Official e-mail address"},
    {"request.field.establishment_decision", "Quyết định thành lập", "Establishment decision"},
    {"request.field.full_name", "Họ và tên", "Full name"},
    {"request.field.id_number", "Số định danh cá nhân (CCCD)",
     "Personal ID number (citizen ID card)"},
    {"request.field.manager", "Người chịu trách nhiệm quản lý thiết bị, dịch vụ, phần mềm",
     "Person responsible for the device, service or software"},
    {"request.field.name", "Tên cơ quan, tổ chức hoặc thiết bị, dịch vụ, phần mềm",
     "Name of the organisation, device, service or software"},
    {"request.field.note", "Ghi chú", "Note"},
    {"request.field.phone", "Số điện thoại", "Phone number"},
    {"request.field.position", "Chức vụ", "Position"},
    {"request.field.purpose", "Mục đích sử dụng", "Purpose"},
    {"request.field_invalid_agency_code",
     "{0} ({1}) không đúng dạng mã định danh (ví dụ H21.09): «{2}»",
     "{0} ({1}) is not a document exchange code (e.g. H21.09): \"{2}\""},
    {"request.field_invalid_email", "{0} ({1}) không phải địa chỉ thư điện tử hợp lệ: «{2}»",
     "{0} ({1}) is not a valid e-mail address: \"{2}\""},
    {"request.field_invalid_id_number", "{0} ({1}) phải gồm đúng 12 chữ số: «{2}»",
     "{0} ({1}) must be exactly 12 digits: \"{2}\""},
    {"request.field_invalid_phone",
     "{0} ({1}) không đúng dạng số điện thoại Việt Nam (di động 10 số, cố định 11 số bắt đầu bằng "
     "02): «{2}»",
     "{0} ({1}) is not a Vietnamese phone number (mobile: 10 digits, landline: 11 digits starting "
     "with 02): \"{2}\""},
    {"request.field_missing", "Thiếu thông tin «{0}» ({1}) — thêm --set {1}=…",
     "Missing \"{0}\" ({1}) — add --set {1}=…"},
    {"request.field_not_official_email",
     "{0} ({1}) phải là thư điện tử công vụ thuộc tên miền {3}: «{2}»",
     "{0} ({1}) must be an official address under {3}: \"{2}\""},
    {"request.field_unknown", "Đề nghị «{1}» không có trường «{0}»; các trường dùng được: {2}",
     "A \"{1}\" request has no field \"{0}\"; its fields are: {2}"},
    {"request.handled_by.provider", "Cục Chứng thực số và Bảo mật thông tin",
     "The provider (Cục CTS&BMTT, Government Cipher Committee)"},
    {"request.handled_by.province", "Sở Khoa học và Công nghệ",
     "The province (Department of Science and Technology)"},
    {"request.kind.change_of_information", "Thay đổi nội dung thông tin chứng thư số",
     "Change of certificate information"},
    {"request.kind.device_recovery", "Khôi phục thiết bị lưu khóa bí mật", "Token recovery"},
    {"request.kind.new_certificate", "Cấp mới chứng thư số", "New certificate"},
    {"request.kind.renewal", "Gia hạn chứng thư số", "Certificate renewal"},
    {"request.kind.revocation", "Thu hồi chứng thư số", "Certificate revocation"},
    {"request.reject_reason_missing", "Từ chối đề nghị phải nêu rõ lý do (--reason)",
     "A rejection must give its reason (--reason)"},
    {"request.renewal_limit",
     "Chứng thư số {0} đã được gia hạn {1} lần, tối đa {2} lần — cần đề nghị cấp mới",
     "Certificate {0} has been renewed {1} time(s), at most {2} allowed — file a request for a new "
     "one"},
    {"request.renewal_too_late",
     "Chứng thư số {0} chỉ còn {1} ngày hiệu lực — phải đề nghị gia hạn khi còn ít nhất {2} ngày; "
     "cần đề nghị cấp mới",
     "Certificate {0} has only {1} days left — a renewal must be filed at least {2} days before "
     "expiry; file a request for a new one"},
    {"request.revocation_reason.device_damaged", "Thiết bị lưu khóa bí mật bị hỏng",
     "Token damaged"},
    {"request.revocation_reason.device_lost", "Mất thiết bị lưu khóa bí mật", "Token lost"},
    {"request.revocation_reason.holder_left",
     "Người sử dụng không còn công tác trong cơ quan nhà nước",
     "The holder left the public sector"},
    {"request.revocation_reason.key_compromised", "Khóa bí mật bị lộ hoặc nghi bị lộ",
     "Private key exposed or suspected exposed"},
    {"request.revocation_reason.no_longer_needed", "Không còn nhu cầu sử dụng", "No longer needed"},
    {"request.revocation_reason.unit_reorganized",
     "Cơ quan, đơn vị sáp nhập, hợp nhất hoặc giải thể", "The unit was merged or dissolved"},
    {"request.revocation_reason_missing", "Đề nghị thu hồi phải nêu lý do (--reason): {0}",
     "A revocation must give its reason (--reason): {0}"},
    {"request.state.cancelled", "Đã hủy", "Cancelled"},
    {"request.state.completed", "Hoàn thành", "Completed"},
    {"request.state.draft", "Bản nháp", "Draft"},
    {"request.state.forwarded_to_provider", "Đã chuyển Cục CTS&BMTT", "Forwarded to the provider"},
    {"request.state.in_progress", "Đang xử lý", "In progress"},
    {"request.state.queued", "Chờ gửi", "Queued"},
    {"request.state.received", "Sở KH&CN đã tiếp nhận", "Received by the province"},
    {"request.state.rejected", "Bị từ chối", "Rejected"},
    {"request.state.submitted", "Đã gửi", "Submitted"},
    {"request.subscriber_missing",
     "Đề nghị cấp mới phải nêu loại thuê bao (--kind): individual (cá nhân, Mẫu 01), organization "
     "(cơ quan, tổ chức, Mẫu 02) hoặc device (thiết bị, dịch vụ, phần mềm, Mẫu 03)",
     "A new certificate request must name the subscriber kind (--kind): individual (Form 01), "
     "organization (Form 02) or device (Form 03)"},
    {"request.superseded_by", "Được thay thế bởi đề nghị thu hồi {0}",
     "Superseded by revocation request {0}"},
    {"request.token_missing", "Chưa nêu số serial của token cần khôi phục (--token SỐ_SERIAL)",
     "No token serial given (--token SERIAL)"},
    {"request.token_not_locked",
     "Token {0} không bị khóa (trạng thái PIN: {1}) — chỉ đề nghị khôi phục token bị khóa PIN hoặc "
     "không sử dụng được",
     "Token {0} is not locked (PIN state: {1}) — recovery is only for a PIN-locked or unusable "
     "token"},
    {"request.token_unknown", "Không có token {0} trong danh mục của cơ quan (xem: cksctl tokens)",
     "There is no token {0} in the agency's inventory (see: cksctl tokens)"},
    {"request.transition_cancel_received",
     "Không thể hủy đề nghị ở trạng thái «{0}»: Sở KH&CN đã tiếp nhận — hãy đề nghị Sở từ chối đề "
     "nghị này",
     "A request in state \"{0}\" cannot be cancelled: the province has received it — ask the "
     "province to reject it"},
    {"request.transition_finished", "Đề nghị đã kết thúc («{0}»), không thể chuyển sang «{1}»",
     "The request is finished (\"{0}\") and cannot become \"{1}\""},
    {"request.transition_not_allowed", "Không thể chuyển đề nghị từ «{0}» sang «{1}»",
     "A request cannot go from \"{0}\" to \"{1}\""},
    {"request.transition_same", "Đề nghị đã ở trạng thái «{0}»", "The request is already \"{0}\""},
    {"requests.cancel_refused", "Không hủy được đề nghị {0}: {1}",
     "Request {0} cannot be cancelled: {1}"},
    {"requests.cancelled", "Đã hủy đề nghị {0}.", "Request {0} cancelled."},
    {"requests.cert_ambiguous",
     "«{0}» khớp với nhiều chứng thư số — hãy ghi thêm ký tự của dấu vân tay:{1}",
     "«{0}» matches several certificates — give more characters of the fingerprint:{1}"},
    {"requests.cert_malformed",
     "«{0}» không phải dấu vân tay của chứng thư số: hãy ghi đủ 64 chữ số hex, dạng có dấu hai "
     "chấm như openssl in ra, hoặc ít nhất 8 chữ số đầu (xem cột «Dấu vân tay» của cksctl certs)",
     "«{0}» is not a certificate fingerprint: give its 64 hex digits, the colon form openssl "
     "prints, or at least its first 8 digits (see the Fingerprint column of cksctl certs)"},
    {"requests.col.created", "Ngày lập", "Filed"},
    {"requests.col.due", "Hạn xử lý", "Due"},
    {"requests.col.form", "Mẫu", "Form"},
    {"requests.col.handled_by", "Nơi xử lý", "Handled by"},
    {"requests.col.kind", "Loại đề nghị", "Request"},
    {"requests.col.subject", "Chứng thư số / token", "Certificate / token"},
    {"requests.count", "Tổng số: {0} đề nghị", "{0} request(s) in all"},
    {"requests.filed",
     "Đã lập đề nghị «{0}» (mẫu số {1}, {2} xử lý); đề nghị chờ gửi lên Sở KH&CN. Mã đề nghị:",
     "Filed the request «{0}» (form {1}, handled by the {2}); it waits to be sent to the province. "
     "Request id:"},
    {"requests.form_written",
     "Đã ghi mẫu đề nghị vào {0} — in ra, trình thủ trưởng ký và đóng dấu.",
     "The form is written to {0} — print it for the head of the agency to sign and stamp."},
    {"requests.id_ambiguous", "«{0}» khớp với nhiều đề nghị — hãy ghi thêm ký tự của mã:{1}",
     "«{0}» matches several requests — give more characters of the id:{1}"},
    {"requests.label.created", "Ngày lập", "Filed"},
    {"requests.label.due", "Hạn xử lý", "Due"},
    {"requests.label.fields", "Thông tin kèm theo", "Values"},
    {"requests.label.form", "Mẫu số", "Form"},
    {"requests.label.handled_by", "Nơi xử lý", "Handled by"},
    {"requests.label.history", "Quá trình xử lý", "History"},
    {"requests.label.id", "Mã đề nghị", "Request id"},
    {"requests.label.kind", "Loại đề nghị", "Request"},
    {"requests.label.reason", "Lý do", "Reason"},
    {"requests.label.reference", "Số tham chiếu", "Reference"},
    {"requests.label.state", "Trạng thái", "State"},
    {"requests.label.subject", "Chứng thư số / token", "Certificate / token"},
    {"requests.none",
     "Chưa có đề nghị nào (lập đề nghị: cksctl request renew|change|revoke|recover|new …).",
     "No requests yet (file one: cksctl request renew|change|revoke|recover|new …)."},
    {"requests.not_found", "Không có đề nghị mã {0} (xem: cksctl requests).",
     "No request {0} (see: cksctl requests)."},
    {"requests.refused", "Không lập được đề nghị:", "The request was not filed:"},
    {"requests.superseded", "Đề nghị {0} được thay thế bởi đề nghị này và đã được hủy.",
     "Request {0} is superseded by this one and was cancelled."},
    {"requests.title", "Các đề nghị", "Requests"},
    {"scan.done", "Đã quét xong: {0} token đang cắm, {1} chứng thư số.",
     "Scan finished: {0} token(s) plugged in, {1} certificate(s)."},
    {"severity.critical", "Nghiêm trọng", "Critical"},
    {"severity.info", "Thông tin", "Info"},
    {"severity.warning", "Cần chú ý", "Warning"},
    {"status.agent", "Dịch vụ cks-agent {0} đang chạy trên máy {1}.",
     "The cks-agent service {0} is running on {1}."},
    {"status.clock_off",
     "Cảnh báo: đồng hồ máy này lệch {0} giây so với hub của tỉnh — hãy chỉnh lại giờ.",
     "Warning: this PC's clock is {0} s off the hub's — set the time right."},
    {"status.counts",
     "Token: {0} đang cắm / {1} đã biết. Chứng thư số: {2} (sắp hết hạn: {3}, đã hết hạn: {4}).",
     "Tokens: {0} plugged in / {1} known. Certificates: {2} (expiring: {3}, expired: {4})."},
    {"status.hub", "Hub của tỉnh: {0} — đơn vị {1} ({2}); {3} thay đổi chưa gửi.",
     "Province hub: {0} — agency {1} ({2}); {3} change(s) not sent yet."},
    {"status.hub_none", "Chưa đăng ký với hub của tỉnh.", "Not enrolled with the province's hub."},
    {"status.hub_refused",
     "Hub của tỉnh TỪ CHỐI máy này từ {0}: {1}\n  Mọi lần đồng bộ đều bị từ chối; các thay đổi vẫn "
     "được giữ lại. Xin Sở KH&CN mã đăng ký mới rồi chạy: cksctl enroll --force --hub {2} --code "
     "MÃ --hub-ca TỆP",
     "The province's hub has REFUSED this PC since {0}: {1}\n  Every sync is refused; changes are "
     "kept. Get a new enrolment code from the province and run: cksctl enroll --force --hub {2} "
     "--code CODE --hub-ca FILE"},
    {"status.last_scan", "Lần quét gần nhất: {0}", "Last scan: {0}"},
    {"status.last_sync", "Lần đồng bộ gần nhất: {0}", "Last sync: {0}"},
    {"status.module", "  {0}: {1}", "  {0}: {1}"},
    {"status.modules", "Mô-đun PKCS#11:", "PKCS#11 modules:"},
    {"status.never_scanned", "chưa quét lần nào", "never"},
    // The Vietnamese sync texts leave out {0}, the technical detail (English, in the agent's
    // log; cksctl --verbose prints it).
    {"sync.failed",
     "Đồng bộ không thành công (chi tiết kỹ thuật trong nhật ký của cks-agent, hoặc: cksctl sync "
     "--verbose).",
     "Sync failed: {0}"},
    {"sync.not_enrolled",
     "Máy này chưa đăng ký với hub của tỉnh. Dùng: cksctl enroll --hub URL --code MÃ --hub-ca TỆP",
     "This PC is not enrolled with the province's hub. Use: cksctl enroll --hub URL --code CODE "
     "--hub-ca FILE"},
    {"sync.ok", "Đã đồng bộ với hub của tỉnh: gửi {0} thay đổi, còn lại {1}.",
     "Synced with the province's hub: {0} change(s) sent, {1} left."},
    {"sync.reenrol",
     "Hub từ chối chính máy này (đã bị thu hồi?): đồng bộ lại sẽ không giúp được. Xin Sở KH&CN mã "
     "đăng ký mới rồi chạy: cksctl enroll --force --hub URL --code MÃ --hub-ca TỆP (các thay đổi "
     "đang chờ được giữ lại).",
     "The hub refuses this PC itself (revoked?): syncing again will not help. Get a new enrolment "
     "code from the province and run: cksctl enroll --force --hub URL --code CODE --hub-ca FILE "
     "(changes waiting are kept)."},
    {"sync.refused",
     "Hub của tỉnh từ chối lần đồng bộ này (chi tiết kỹ thuật trong nhật ký của cks-agent, hoặc: "
     "cksctl sync --verbose).",
     "The province's hub refused: {0}"},
    {"sync.unreachable",
     "Không kết nối được hub của tỉnh. Các thay đổi vẫn được giữ lại và sẽ tự gửi khi có kết "
     "nối.",
     "The province's hub is unreachable: {0}. Changes are kept and will be sent when it is back."},
    {"tokens.none", "Chưa thấy token nào.", "No tokens seen yet."},
    {"tokens.title", "Thiết bị lưu khóa bí mật (token)", "Key storage devices (tokens)"},
    {"tray.acknowledge", "Xác nhận đã xem", "Acknowledge"},
    {"tray.acknowledge_all", "Xác nhận đã xem tất cả cảnh báo", "Acknowledge all alerts"},
    {"tray.alerts_more", "… và {0} cảnh báo khác (xem bằng cksctl alerts)",
     "… and {0} more alert(s) (see cksctl alerts)"},
    {"tray.check", "cks-agent {0} trên máy {1}: {2} cảnh báo đang mở, mức cao nhất: {3}",
     "cks-agent {0} on {1}: {2} open alert(s), worst: {3}"},
    {"tray.popup_title", "Chữ ký số — {0}", "Digital signatures — {0}"},
    {"tray.quit", "Thoát", "Quit"},
    {"tray.severity.none", "không có", "none"},
    {"tray.status.alerts", "Có {0} cảnh báo chữ ký số cần xử lý",
     "{0} digital signature alert(s) to act on"},
    {"tray.status.disconnected", "Không kết nối được tới dịch vụ cks-agent — đang thử kết nối lại",
     "Cannot reach the cks-agent service — retrying"},
    {"tray.status.ok", "Chữ ký số: không có cảnh báo nào cần xử lý",
     "Digital signatures: no alerts to act on"},
    {"tray.sync_now", "Đồng bộ với hub của tỉnh ngay", "Sync with the province's hub now"},
    {"tray.usage",
     "Cách dùng: cks-tray [--config TỆP] [--lang vi|en] [--state TỆP] [--check]\n"
     "  --config TỆP   cấu hình của cks-agent (cổng và khóa bí mật của API cục bộ)\n"
     "  --state TỆP    nơi ghi nhớ các cảnh báo đã hiện (mặc định trong thư mục người dùng)\n"
     "  --check        hỏi cks-agent một lần, in một dòng tóm tắt rồi thoát\n"
     "  --version              phiên bản của cksctl\n"
     "DẤU_VÂN_TAY: 64 chữ số hex, dạng AB:CD:… openssl in ra, hoặc ít nhất 8 chữ số đầu (cột\n"
     "«Dấu vân tay» của certs); MÃ đề nghị: đủ, hoặc ít nhất 8 ký tự đầu. Bảng vừa độ rộng màn\n"
     "hình (biến COLUMNS nếu có); --wide in đầy đủ. Giờ hiển thị theo [display] time_zone.\n"
     "Mã thoát: 0 thành công, 2 sai cách dùng hoặc cấu hình, 3 không kết nối được cks-agent.",
     "Usage: cks-tray [--config FILE] [--lang vi|en] [--state FILE] [--check]\n"
     "  --config FILE  cks-agent's configuration (the local API's port and secret)\n"
     "  --state FILE   where the alerts already shown are remembered (default: the user's folder)\n"
     "  --check        ask cks-agent once, print a one-line summary and exit\n"
     "  --version              the version of cksctl\n"
     "FINGERPRINT: 64 hex digits, the AB:CD:… form openssl prints, or at least the first 8 digits\n"
     "(the Fingerprint column of certs); request ID: whole, or at least its first 8 characters.\n"
     "Tables fit the terminal (COLUMNS when set); --wide prints them whole. Times are shown in\n"
     "[display] time_zone.\n"
     "Exit codes: 0 success, 2 usage or configuration error, 3 cks-agent not reachable."},
    {"workdays.due", "Hạn xử lý: hết ngày {0} ({1} ngày làm việc)",
     "Due by the end of {0} ({1} working day(s))"},
    {"workdays.not_covered",
     "Lịch ngày nghỉ chưa có năm {0} — hạn xử lý chỉ trừ thứ Bảy, Chủ nhật; hãy bổ sung ngày nghỉ "
     "lễ, Tết của năm {0}",
     "The holiday calendar has nothing for {0} — deadlines skip weekends only; add {0}'s public "
     "holidays"},
    {"workdays.overdue", "Quá hạn xử lý (hạn cuối: hết ngày {0})",
     "Overdue (it was due by the end of {0})"},
    {"yes", "có", "yes"},
};

}  // namespace

bool parseLanguage(std::string_view text, Language& out) {
  const std::string_view code = text.substr(0, 2);
  if (code == "vi" && (text.size() == 2 || text[2] == '_' || text[2] == '-' || text[2] == '.')) {
    out = Language::Vietnamese;
    return true;
  }
  if (code == "en" && (text.size() == 2 || text[2] == '_' || text[2] == '-' || text[2] == '.')) {
    out = Language::English;
    return true;
  }
  return false;
}

std::string message(Language language, std::string_view key,
                    std::initializer_list<std::string_view> args) {
  const auto* end = std::end(kCatalogue);
  const auto* found =
      std::lower_bound(std::begin(kCatalogue), end, key,
                       [](const Entry& e, std::string_view k) { return e.key < k; });
  if (found == end || found->key != key) return "[" + std::string(key) + "]";
  const std::string_view text = language == Language::English ? found->en : found->vi;
  std::string out;
  out.reserve(text.size() + 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' &&
        text[i + 1] <= '9') {
      const size_t index = size_t(text[i + 1] - '0');
      if (index < args.size()) out.append(*(args.begin() + index));
      i += 2;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

std::vector<std::string_view> messageKeys() {
  std::vector<std::string_view> keys;
  for (const auto& entry : kCatalogue) keys.push_back(entry.key);
  return keys;
}

}  // namespace cks
