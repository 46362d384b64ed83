// The agent's table of the message catalogue: cksctl's screens and cks-agent's notices.
#include "agent/agent_catalogue.h"

namespace cks::agent {
namespace {

// Sorted by key (checked by a test) so lookup is a binary search.
constexpr MessageEntry kAgentMessages[] = {
    {"alerts.acked", "Đã ghi nhận cảnh báo {0}.", "Alert {0} acknowledged."},
    {"alerts.busy",
     "Cảnh báo {0} chưa được cập nhật: kho dữ liệu của cks-agent đang bận (một chương trình khác "
     "đang giữ nó). Hãy thử lại sau ít phút.",
     "Alert {0} was not changed: the agent's store is busy (another program holds it). Try again "
     "in a moment."},
    {"alerts.hint",
     "Ghi nhận: cksctl ack MÃ · tạm hoãn: cksctl snooze MÃ --days N · tất cả: cksctl alerts --all",
     "Acknowledge: cksctl ack ID · snooze: cksctl snooze ID --days N · all: cksctl alerts --all"},
    {"alerts.none_ever", "Chưa có cảnh báo nào.", "No alerts yet."},
    {"alerts.not_found", "Không có cảnh báo mã {0} (xem: cksctl alerts --all).",
     "There is no alert {0} (see: cksctl alerts --all)."},
    {"alerts.resolved", "Cảnh báo {0} đã được giải quyết, không cần ghi nhận nữa.",
     "Alert {0} is already resolved."},
    {"alerts.snoozed", "Đã tạm hoãn cảnh báo {0} đến ngày {1}.", "Alert {0} snoozed until {1}."},
    {"cli.bad_alert_id", "Mã cảnh báo không hợp lệ: \"{0}\" (xem cột Mã của: cksctl alerts)",
     "Not an alert ID: \"{0}\" (see the ID column of: cksctl alerts)"},
    {"cli.bad_days", "Giá trị --expiring không hợp lệ: \"{0}\" (cần một số ngày, ví dụ 30)",
     "Invalid --expiring value: \"{0}\" (expected a number of days, e.g. 30)"},
    {"cli.bad_set",
     "Giá trị --set không hợp lệ: \"{0}\" (cần TRƯỜNG=GIÁ_TRỊ, ví dụ --set email=a@xa.gov.vn)",
     "Bad --set value: \"{0}\" (expected FIELD=VALUE, e.g. --set email=a@xa.gov.vn)"},
    {"cli.bad_snooze_days", "Giá trị --days không hợp lệ: \"{0}\" (cần từ 1 đến 365 ngày)",
     "Invalid --days: \"{0}\" (a number of days from 1 to 365)"},
    {"cli.detail", "Chi tiết kỹ thuật: {0}", "Technical detail: {0}"},
    {"cli.missing_option", "Thiếu tùy chọn {0}", "Missing option {0}"},
    {"cli.read_file", "Không đọc được tệp {0}", "Cannot read the file {0}"},
    {"cli.secret_denied",
     "Không có quyền đọc khóa bí mật của API cục bộ {0} (permission denied): đây không phải do "
     "dịch vụ cks-agent ngừng chạy. Để người dùng {1} dùng được cksctl, thêm vào nhóm {2}: sudo "
     "usermod -aG {2} {1} (rồi đăng xuất và đăng nhập lại), hoặc chạy lệnh với sudo.",
     "Permission denied reading the local API's secret {0}: this is not the cks-agent service "
     "being down. To let user {1} use cksctl, add them to the group {2}: sudo usermod -aG {2} {1} "
     "(then log out and in again), or run the command with sudo."},
    {"cli.unknown_command", "Lệnh không hợp lệ: \"{0}\"", "Unknown command: \"{0}\""},
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
     "  messages [--json]      danh mục thông điệp của cksctl (--json: cả hai ngôn ngữ)\n"
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
     "  messages [--json]      cksctl's message catalogue (--json: both languages)\n"
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
    {"cli.usage.messages",
     "cksctl messages [--json]: danh mục thông điệp của cksctl (--json: cả hai ngôn ngữ)",
     "cksctl messages [--json]: cksctl's message catalogue (--json: both languages)"},
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
    {"col.id", "Mã", "ID"},
    {"col.message", "Nội dung", "Message"},
    {"col.raised", "Thời điểm", "Raised"},
    {"col.severity", "Mức độ", "Severity"},
    {"col.state", "Trạng thái", "State"},
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
    {"config.expect.days_eg", "số ngày từ {0} đến {1}, ví dụ {2}",
     "a number of days from {0} to {1}, e.g. {2}"},
    {"config.expect.department",
     "Sở nhận đề nghị, ví dụ Sở Khoa học và Công nghệ thành phố Đà Nẵng",
     "the Sở requests are addressed to, e.g. Sở Khoa học và Công nghệ thành phố Đà Nẵng"},
    {"config.expect.duration", "một khoảng thời gian ít nhất {0}, ví dụ {1}",
     "a duration of at least {0}, e.g. {1}"},
    {"config.expect.forms_department", "Sở nhận đề nghị (tên cũ: dùng [agency] department)",
     "the Sở the forms are addressed to (deprecated: [agency] department)"},
    {"config.expect.forms_parent_body", "cơ quan cấp trên (tên cũ: dùng [agency] parent_body)",
     "the body above the agency (deprecated: [agency] parent_body)"},
    {"config.expect.forms_place", "địa danh ở dòng ngày tháng (tên cũ: dùng [agency] place)",
     "the place in the date line (deprecated: [agency] place)"},
    {"config.expect.forms_signer", "họ tên thủ trưởng cơ quan (tên cũ: dùng [agency] signer)",
     "the head of the agency's name (deprecated: [agency] signer)"},
    {"config.expect.local_time", "một giờ trong ngày (giờ máy) dạng HH:MM, ví dụ {0}",
     "a local time of day HH:MM, e.g. {0}"},
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
    {"config.expect.name_prefixes", "các phần đầu tên, cách nhau bằng dấu phẩy",
     "comma-separated name beginnings"},
    {"config.expect.oids", "các OID dạng số và dấu chấm, cách nhau bằng dấu phẩy",
     "comma-separated dotted OIDs"},
    {"config.expect.parent_body", "cơ quan cấp trên, ví dụ UBND thành phố Đà Nẵng",
     "the body above the agency, e.g. UBND thành phố Đà Nẵng"},
    {"config.expect.password_file", "đường dẫn tệp (quyền 0600) chứa mật khẩu SMTP",
     "the path of a file (mode 0600) holding the SMTP password"},
    {"config.expect.probe", "đường dẫn của cks-p11probe", "the path of cks-p11probe"},
    {"config.expect.province",
     "tỉnh, thành phố kèm loại, ví dụ thành phố Đà Nẵng hoặc tỉnh Quảng Ngãi",
     "the province with its kind, e.g. thành phố Đà Nẵng or tỉnh Quảng Ngãi"},
    {"config.expect.proxy",
     "để trống (không dùng proxy), env (dùng https_proxy) hoặc http://host:port",
     "empty (no proxy), env (use https_proxy) or http://host:port"},
    {"config.expect.renewals", "số lần gia hạn từ 0 đến 100, ví dụ 1",
     "a number of renewals from 0 to 100, e.g. 1"},
    {"config.expect.secret_group",
     "tên một nhóm người dùng (để trống: chỉ tài khoản của dịch vụ đọc được khóa bí mật)",
     "a group name (empty: only the service account may read the secret)"},
    {"config.expect.signer", "họ tên thủ trưởng cơ quan (có thể để trống)",
     "the head of the agency's name (may be empty)"},
    {"config.expect.signer_title", "chức danh trên chữ ký của thủ trưởng, ví dụ CHỦ TỊCH",
     "the title over the head's signature, e.g. CHỦ TỊCH"},
    {"config.expect.smtp_server", "tên hoặc địa chỉ máy chủ SMTP, ví dụ mail.quangngai.gov.vn",
     "the SMTP server's host name or address, e.g. mail.quangngai.gov.vn"},
    {"config.expect.smtp_user",
     "tên tài khoản SMTP, hoặc để trống nếu máy chủ không yêu cầu đăng nhập",
     "the SMTP account name, or empty for no authentication"},
    {"config.expect.thresholds",
     "các số ngày từ 1 đến 3650, cách nhau bằng dấu phẩy, ví dụ 90, 60, 30, 14, 7, 3, 1",
     "comma-separated numbers of days from 1 to 3650, e.g. 90, 60, 30, 14, 7, 3, 1"},
    {"config.file_missing", "{0}: không có tệp này", "{0}: no such file"},
    {"config.file_not_regular", "{0}: không phải là tệp", "{0}: not a regular file"},
    {"config.no_module",
     "chưa khai báo thư viện PKCS#11 nào (đặt modules = ĐƯỜNG_DẪN, hoặc use_p11kit = true)",
     "no PKCS#11 module configured (set modules = PATH, or use_p11kit = true)"},
    {"config.password_file_shared",
     "người khác đọc hoặc ghi được (quyền {0}); tệp này chứa mật khẩu: chmod 600 {1}",
     "readable or writable by others (mode {0}; it holds a password: chmod 600 {1})"},
    {"config.probe_missing", "{0}: không phải tệp chạy được (cks-p11probe được cài cạnh cks-agent)",
     "{0}: not an executable file (cks-p11probe is installed beside cks-agent)"},
    {"config.renewal_lead_differs",
     "khác với [requests] renewal_min_days_left (dòng {0}); hạn chót gia hạn chỉ có một quy định: "
     "hãy bỏ renewal_lead",
     "differs from [requests] renewal_min_days_left (line {0}); the renewal deadline is one rule: "
     "remove renewal_lead"},
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
    {"enroll.disk_full",
     "Không đăng ký được: ổ đĩa chứa thư mục {2} đã đầy. Hãy giải phóng dung lượng trên ổ đĩa đó "
     "rồi chạy lại lệnh; mã đăng ký vẫn dùng được.",
     "Enrolment failed: the disk holding the folder {2} is full. Free some space on that disk and "
     "run the command again; the enrolment code is still good."},
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
    {"requests.cancel_refused", "Không hủy được đề nghị {0}: {1}",
     "Request {0} cannot be cancelled: {1}"},
    {"requests.cancelled", "Đã hủy đề nghị {0}.", "Request {0} cancelled."},
    {"requests.col.created", "Ngày lập", "Filed"},
    {"requests.col.kind", "Loại đề nghị", "Request"},
    {"requests.col.subject", "Chứng thư số / token", "Certificate / token"},
    {"requests.filed",
     "Đã lập đề nghị «{0}» (mẫu số {1}, {2} xử lý); đề nghị chờ gửi lên Sở KH&CN. Mã đề nghị:",
     "Filed the request «{0}» (form {1}, handled by the {2}); it waits to be sent to the province. "
     "Request id:"},
    {"requests.form_written",
     "Đã ghi mẫu đề nghị vào {0} — in ra, trình thủ trưởng ký và đóng dấu.",
     "The form is written to {0} — print it for the head of the agency to sign and stamp."},
    {"requests.id_ambiguous", "«{0}» khớp với nhiều đề nghị — hãy ghi thêm ký tự của mã:{1}",
     "«{0}» matches several requests — give more characters of the id:{1}"},
    {"requests.not_found", "Không có đề nghị mã {0} (xem: cksctl requests).",
     "No request {0} (see: cksctl requests)."},
    {"requests.refused", "Không lập được đề nghị:", "The request was not filed:"},
    {"requests.superseded", "Đề nghị {0} được thay thế bởi đề nghị này và đã được hủy.",
     "Request {0} is superseded by this one and was cancelled."},
    {"scan.done", "Đã quét xong: {0} token đang cắm, {1} chứng thư số.",
     "Scan finished: {0} token(s) plugged in, {1} certificate(s)."},
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
    {"status.module", "  {0}: {1}", "  {0}: {1}"},
    {"status.modules", "Mô-đun PKCS#11:", "PKCS#11 modules:"},
    {"status.never_scanned", "chưa quét lần nào", "never"},
    // The Vietnamese sync texts leave out {0}, the technical detail (English, in the agent's
    // log; cksctl --verbose prints it).
};

}  // namespace

MessageTable agentMessages() { return kAgentMessages; }

}  // namespace cks::agent
