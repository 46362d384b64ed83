// The hub's table of the message catalogue: cks-hub's admin commands and configuration errors.
#include "hub/hub_catalogue.h"

namespace cks::hub {
namespace {

// Sorted by key (checked by a test) so lookup is a binary search.
constexpr MessageEntry kHubMessages[] = {
    {"config.bad_postgres_url", "địa chỉ PostgreSQL \"{0}\" không hợp lệ (cần {2})",
     "{1} (expected {2})"},
    {"config.expect.bind",
     "một địa chỉ IP để nhận kết nối, ví dụ 0.0.0.0 (mọi giao diện mạng) hoặc 127.0.0.1",
     "an IP address to listen on, e.g. 0.0.0.0 (every interface) or 127.0.0.1"},
    {"config.expect.byte_size", "một kích thước từ 1K đến 1G, ví dụ 4M hoặc 512K",
     "a size from 1K to 1G, e.g. 4M or 512K"},
    {"config.expect.ca_bundle", "một tệp PEM chứa chứng thư CA gốc và trung gian của Chính phủ",
     "a PEM file of the government's root and intermediate CA certificates"},
    {"config.expect.ca_files",
     "các tệp chứng thư CA của Chính phủ (PEM hoặc DER), cách nhau bằng dấu phẩy",
     "the government CA certificate files (PEM or DER), comma-separated"},
    {"config.expect.connection_count", "số kết nối từ 1 đến 512",
     "a number of connections from 1 to 512"},
    {"config.expect.crl_urls",
     "các địa chỉ http:// của danh sách thu hồi (CRL), cách nhau bằng dấu phẩy",
     "comma-separated http:// URLs of revocation lists (CRLs)"},
    {"config.expect.holiday", "YYYY-MM-DD TÊN, YYYY-MM-DD..YYYY-MM-DD TÊN hoặc +YYYY-MM-DD TÊN",
     "YYYY-MM-DD NAME, YYYY-MM-DD..YYYY-MM-DD NAME or +YYYY-MM-DD NAME"},
    {"config.expect.holidays_file", "một tệp ghi mỗi dòng một ngày nghỉ",
     "a file with one holiday per line"},
    {"config.expect.idle_timeout", "một khoảng thời gian từ 5s đến 7d, ví dụ 30m",
     "a duration from 5s to 7d, e.g. 30m"},
    {"config.expect.name_64", "một tên dài từ 1 đến 64 ký tự", "a name of 1 to 64 characters"},
    {"config.expect.people_committee", "Ủy ban nhân dân, ví dụ UBND thành phố Đà Nẵng",
     "the People's Committee, e.g. UBND thành phố Đà Nẵng"},
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
    {"config.expect.refresh_hours", "số giờ giữa hai lần tải danh sách thu hồi, từ 1 đến 168",
     "the hours between two fetches of a revocation list, 1 to 168"},
    {"config.expect.server_names",
     "các tên miền hoặc địa chỉ IP, cách nhau bằng dấu phẩy, ví dụ hub.quangngai.gov.vn, 10.0.0.5",
     "comma-separated DNS names or IP addresses, e.g. hub.quangngai.gov.vn, 10.0.0.5"},
    {"config.expect.session_duration", "một khoảng thời gian từ 1m đến 7d, ví dụ 30m",
     "a duration from 1m to 7d, e.g. 30m"},
    {"config.expect.store_url",
     "đường dẫn tệp SQLite, sqlite:ĐƯỜNG_DẪN, hoặc postgresql://user[:password]@host[:port]/dbname",
     "a SQLite file path, sqlite:PATH, or postgresql://user[:password]@host[:port]/dbname"},
    {"config.expect.threads", "số luồng xử lý từ 1 đến 256", "a number of threads from 1 to 256"},
    {"config.expect.time_of_day", "một giờ trong ngày dạng HH:MM, ví dụ {0}",
     "a time of day HH:MM, e.g. {0}"},
    {"config.expect.timeout", "một khoảng thời gian từ 1s đến 10m, ví dụ 30s",
     "a time from 1s to 10m, e.g. 30s"},
    {"config.expect.upstream_proxy",
     "để trống (kết nối thẳng), env (dùng https_proxy), hoặc http://[user:password@]host:port",
     "empty (direct), env (https_proxy), or http://[user:password@]host:port"},
    {"config.file_unreadable", "không đọc được tệp {1}", "bad value \"{0}\": cannot read {1}: {2}"},
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
     "  agencies import TỆP.csv|TỆP.xlsx            nhập danh mục cơ quan từ tệp CSV hoặc Excel "
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
     "  merger list [--json]                        các đợt sáp nhập đã thông báo, lô đề nghị của "
     "từng đơn vị đã về chưa\n"
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
     "  user add --name TÊN --role admin|officer|viewer\n"
     "                                              tạo tài khoản cán bộ (in mật khẩu dùng một "
     "lần)\n"
     "  user list [--json]                          các tài khoản cán bộ và trạng thái\n"
     "  user disable|reset --name TÊN               vô hiệu hóa tài khoản, hoặc cấp mật khẩu "
     "mới\n"
     "  user certificate --name TÊN --certificate TỆP | --clear\n"
     "                                              gắn (hoặc gỡ) chứng thư số của cán bộ để "
     "đăng nhập bảng điều khiển\n"
     "  audit [--actor A] [--agency MÃ] [--action X] [--limit N] [--json] [--verify]\n"
     "                                              nhật ký thao tác (--verify: kiểm tra chuỗi "
     "băm)\n"
     "  revoke --agent ID [--yes]                   thu hồi một máy trạm (hỏi lại khi chạy ở "
     "terminal)\n"
     "  revocation [fetch] [--json]                 danh sách thu hồi (CRL) của các CA: nguồn, "
     "ngày phát hành, lần tải (fetch: tải ngay)\n"
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
     "  agencies import FILE.csv|FILE.xlsx          import the agency directory from a CSV or "
     "Excel file (code,name,type,parent)\n"
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
     "  merger list [--json]                        the mergers published and whether each unit's "
     "batch arrived\n"
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
     "  user add --name NAME --role admin|officer|viewer\n"
     "                                              make a staff account (prints a one-time "
     "password)\n"
     "  user list [--json]                          the staff accounts and their state\n"
     "  user disable|reset --name NAME              disable an account, or give it a new "
     "password\n"
     "  user certificate --name NAME --certificate FILE | --clear\n"
     "                                              bind (or unbind) the staff member's own "
     "certificate for the console's login\n"
     "  audit [--actor A] [--agency CODE] [--action X] [--limit N] [--json] [--verify]\n"
     "                                              the audit trail (--verify: check its hash "
     "chain)\n"
     "  revoke --agent ID [--yes]                   revoke an agent (asks first on a terminal)\n"
     "  revocation [fetch] [--json]                 the CAs' revocation lists (CRLs): sources, "
     "this update, last fetch (fetch: now)\n"
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
     "cách dùng: agencies [--json] | agencies import TỆP.csv|TỆP.xlsx (các cột "
     "code,name,type,parent)",
     "usage: agencies [--json] | agencies import FILE.csv|FILE.xlsx (columns "
     "code,name,type,parent)"},
    {"hub.agencies.xlsx_unreadable", "không đọc được tệp Excel {0}: {1}",
     "cannot read the Excel file {0}: {1}"},
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
    {"hub.audit.bad_limit", "--limit phải là một số từ 1 đến {0}",
     "--limit must be a number from 1 to {0}"},
    {"hub.audit.broken",
     "Chuỗi nhật ký KHÔNG toàn vẹn: hỏng từ dòng {0} ({1} dòng). Nhật ký đã bị sửa hoặc xóa "
     "ngoài cks-hub.",
     "The audit chain does NOT verify: broken from line {0} ({1} lines). The log was edited or "
     "lines were removed outside cks-hub."},
    {"hub.audit.col.action", "Thao tác", "Action"},
    {"hub.audit.col.actor", "Người thực hiện", "Actor"},
    {"hub.audit.col.agency", "Cơ quan", "Agency"},
    {"hub.audit.col.at", "Thời điểm", "Time"},
    {"hub.audit.col.detail", "Chi tiết", "Detail"},
    {"hub.audit.col.seq", "STT", "Seq"},
    {"hub.audit.col.target", "Đối tượng", "Target"},
    {"hub.audit.more", "Còn các dòng cũ hơn (tăng --limit để xem thêm).",
     "Older lines follow (a larger --limit shows them)."},
    {"hub.audit.none", "Nhật ký không có dòng nào khớp.", "No audit line matches."},
    {"hub.audit.title", "Nhật ký thao tác (mới nhất trước)", "Audit trail (newest first)"},
    {"hub.audit.verified", "Chuỗi nhật ký toàn vẹn: {0} dòng.",
     "The audit chain verifies: {0} line(s)."},
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
    {"hub.col.arrived", "Nhận lúc", "Arrived"},
    {"hub.col.backlog", "Chờ gửi", "Backlog"},
    {"hub.col.batch", "Lô đề nghị", "Batch"},
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
    {"hub.col.role", "Vai trò", "Role"},
    {"hub.col.serial", "Số serial", "Serial"},
    {"hub.col.status", "Trạng thái", "Status"},
    {"hub.col.token", "Token", "Token"},
    {"hub.col.type", "Loại cơ quan", "Agency type"},
    {"hub.col.urgent", "Khẩn đã nhận đến", "Urgent seq"},
    {"hub.col.version", "Phiên bản", "Version"},
    {"hub.config_error", "Lỗi cấu hình: {0}", "Configuration error: {0}"},
    {"hub.console.as_of", "Số liệu lúc {0}, {1} dòng.", "As of {0}, {1} rows."},
    {"hub.console.bad_body", "Nội dung yêu cầu không phải là một đối tượng JSON hợp lệ.",
     "The request's body is not a valid JSON object."},
    {"hub.console.bad_date", "{0} {1} không phải là một ngày: hãy ghi dạng YYYY-MM-DD.",
     "{0} {1} is not a date: write YYYY-MM-DD."},
    {"hub.console.bad_days", "Số ngày {0} không hợp lệ: cần một số từ 0 đến {1}.",
     "Days {0} is not valid: a number from 0 to {1}."},
    {"hub.console.bad_format", "Không có định dạng {0}: dùng csv hoặc xlsx.",
     "There is no format {0}: use csv or xlsx."},
    {"hub.console.bad_kind",
     "Không có loại chứng thư số {0}: dùng individual, organization, device hoặc unknown.",
     "There is no certificate kind {0}: use individual, organization, device or unknown."},
    {"hub.console.bad_limit", "limit {0} không hợp lệ: cần một số từ 1 đến {1}.",
     "limit {0} is not valid: a number from 1 to {1}."},
    {"hub.console.bad_pin_state",
     "Không có trạng thái PIN {0}: dùng ok, count_low, final_try, locked hoặc unknown.",
     "There is no PIN state {0}: use ok, count_low, final_try, locked or unknown."},
    {"hub.console.bad_present", "present {0} không hợp lệ: dùng true hoặc false.",
     "present {0} is not valid: use true or false."},
    {"hub.console.bad_severity", "Không có mức độ {0}: dùng critical, warning hoặc info.",
     "There is no severity {0}: use critical, warning or info."},
    {"hub.console.bad_sort", "Không có cách sắp xếp {0}: dùng not_after, common_name hoặc agency.",
     "There is no sort {0}: use not_after, common_name or agency."},
    {"hub.console.bad_stale_days",
     "Số ngày không liên lạc {0} không hợp lệ: cần một số từ 1 đến {1}.",
     "stale_days {0} is not valid: a number from 1 to {1}."},
    {"hub.console.bad_state", "Không có trạng thái {0}.", "There is no state {0}."},
    {"hub.console.bad_status",
     "Không có trạng thái chứng thư số {0}: dùng valid, expiring, expired, not_yet_valid hoặc "
     "unparseable.",
     "There is no certificate status {0}: use valid, expiring, expired, not_yet_valid or "
     "unparseable."},
    {"hub.console.bad_year", "Năm {0} không hợp lệ.", "Year {0} is not valid."},
    {"hub.console.certificate_needed",
     "Trình duyệt không gửi chứng thư số nào được tin cậy: hãy cắm token, chọn chứng thư số của "
     "mình khi trình duyệt hỏi, rồi thử lại (hub cần [console] client_ca để hỏi chứng thư số).",
     "The browser sent no trusted certificate: insert your token, pick your certificate when the "
     "browser asks, and try again (the hub asks for one only with [console] client_ca)."},
    {"hub.console.change_password", "Hãy đổi mật khẩu dùng một lần trước khi tiếp tục.",
     "Change your one-time password before going on."},
    {"hub.console.col.agency", "Đơn vị", "Agency"},
    {"hub.console.col.cert_count", "Số chứng thư", "Certificates"},
    {"hub.console.col.common_name", "Tên", "Name"},
    {"hub.console.col.days_left", "Còn (ngày)", "Days left"},
    {"hub.console.col.fingerprint_sha256", "Dấu vân tay SHA-256", "SHA-256 fingerprint"},
    {"hub.console.col.host", "Máy trạm", "PC"},
    {"hub.console.col.kind", "Loại", "Kind"},
    {"hub.console.col.label", "Nhãn token", "Token label"},
    {"hub.console.col.last_host", "Máy cắm gần nhất", "Last PC"},
    {"hub.console.col.last_seen", "Thấy lần cuối", "Last seen"},
    {"hub.console.col.manufacturer", "Hãng sản xuất", "Manufacturer"},
    {"hub.console.col.model", "Mẫu thiết bị", "Model"},
    {"hub.console.col.not_after", "Hết hạn", "Not after"},
    {"hub.console.col.organization", "Tổ chức", "Organization"},
    {"hub.console.col.pin_state", "Trạng thái PIN", "PIN state"},
    {"hub.console.col.present", "Đang cắm", "Plugged in"},
    {"hub.console.col.serial", "Số hiệu", "Serial"},
    {"hub.console.col.status", "Trạng thái", "Status"},
    {"hub.console.col.token_serial", "Số hiệu token", "Token serial"},
    {"hub.console.csrf", "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token): hãy tải lại trang.",
     "The anti-forgery token (X-CSRF-Token) is missing or wrong: reload the page."},
    {"hub.console.import_problems",
     "Không nhập dòng nào: {0} dòng có lỗi. Hãy sửa tệp rồi nhập lại.",
     "Nothing imported: {0} lines are wrong. Correct the file and import it again."},
    {"hub.console.login_needed", "Cần đăng nhập (phiên làm việc đã hết hạn hoặc chưa đăng nhập).",
     "Please log in (the session has ended, or there was none)."},
    {"hub.console.method", "{1} không nhận phương thức {0}.", "{1} does not take {0}."},
    {"hub.console.no_agency", "Không có đơn vị {0}.", "There is no agency {0}."},
    {"hub.console.no_such_path", "Không có {0}.", "There is no {0}."},
    {"hub.console.role", "Việc này cần vai trò {0}.", "This needs the {0} role."},
    {"hub.console.short_search",
     "Từ tìm kiếm \"{0}\" quá ngắn: cần ít nhất {1} ký tự (tên, số hiệu hoặc dấu vân tay).",
     "The search \"{0}\" is too short: it needs at least {1} characters (name, serial or "
     "fingerprint)."},
    {"hub.console.ui.accept", "Tiếp nhận", "Accept"},
    {"hub.console.ui.action", "Thao tác", "Action"},
    {"hub.console.ui.actor", "Người thực hiện", "By"},
    {"hub.console.ui.add_user", "Thêm tài khoản", "Add an account"},
    {"hub.console.ui.agencies", "Đơn vị", "Agencies"},
    {"hub.console.ui.agencies_with_agent", "Đơn vị đã có máy trạm", "Agencies with an agent"},
    {"hub.console.ui.agencies_without_agent", "Đơn vị chưa có máy trạm",
     "Agencies without an agent"},
    {"hub.console.ui.agency", "Đơn vị", "Agency"},
    {"hub.console.ui.agency_code", "Mã đơn vị", "Agency code"},
    {"hub.console.ui.agency_name", "Tên đơn vị (để trống: tên trong danh bạ)",
     "Agency name (empty: the directory's)"},
    {"hub.console.ui.agents", "Máy trạm", "PCs"},
    {"hub.console.ui.agents_and_codes", "Máy trạm và mã đăng ký", "PCs and enrolment codes"},
    {"hub.console.ui.alerts", "Cảnh báo", "Alerts"},
    {"hub.console.ui.all", "Tất cả", "All"},
    {"hub.console.ui.as_of", "Số liệu đến", "As of"},
    {"hub.console.ui.at", "Thời điểm", "At"},
    {"hub.console.ui.audit", "Nhật ký", "Audit log"},
    {"hub.console.ui.back", "Quay lại", "Back"},
    {"hub.console.ui.backlog", "Chưa gửi", "Backlog"},
    {"hub.console.ui.batch", "Lô đề nghị", "Batch"},
    {"hub.console.ui.batch_arrived", "{0} đề nghị, nhận lúc {1}", "{0} request(s), arrived {1}"},
    {"hub.console.ui.batch_waiting", "Chưa nhận", "Not arrived yet"},
    {"hub.console.ui.broken", "Chuỗi nhật ký bị sửa từ dòng {0}.",
     "The audit chain is broken from line {0}."},
    {"hub.console.ui.ca_file", "Tải tệp CA của hub", "Download the hub's CA file"},
    {"hub.console.ui.ca_fingerprint", "Dấu vân tay CA của hub (SHA-256)",
     "The hub's CA fingerprint (SHA-256)"},
    {"hub.console.ui.certificate_login", "Đăng nhập bằng chứng thư số",
     "Log in with my certificate"},
    {"hub.console.ui.certificates", "Chứng thư số", "Certificates"},
    {"hub.console.ui.change_password", "Đổi mật khẩu", "Change password"},
    {"hub.console.ui.clock_offset", "Lệch giờ (giây)", "Clock offset (s)"},
    {"hub.console.ui.code", "Mã", "Code"},
    {"hub.console.ui.code_once", "Mã đăng ký của {0} (chỉ hiện một lần, hết hạn lúc {1}):",
     "Enrolment code for {0} (shown only once, expires {1}):"},
    {"hub.console.ui.code_state_active", "Còn hiệu lực", "Active"},
    {"hub.console.ui.code_state_expired", "Hết hạn", "Expired"},
    {"hub.console.ui.code_state_revoked", "Đã thu hồi", "Revoked"},
    {"hub.console.ui.code_state_used", "Đã dùng", "Used"},
    {"hub.console.ui.codes", "Mã đăng ký", "Enrolment codes"},
    {"hub.console.ui.common_name", "Tên", "Name"},
    {"hub.console.ui.complete", "Hoàn thành", "Complete"},
    {"hub.console.ui.copied", "Đã sao chép.", "Copied."},
    {"hub.console.ui.copy", "Sao chép", "Copy"},
    {"hub.console.ui.created", "Tạo lúc", "Created"},
    {"hub.console.ui.current_password", "Mật khẩu hiện tại", "Current password"},
    {"hub.console.ui.dashboard", "Tổng quan", "Overview"},
    {"hub.console.ui.data_as_of", "Số liệu các đơn vị gửi lên từ {0} đến {1}",
     "Agencies' data as of {0} to {1}"},
    {"hub.console.ui.days_left", "Còn (ngày)", "Days left"},
    {"hub.console.ui.deadline", "Hạn nộp", "Deadline"},
    {"hub.console.ui.decision", "Quyết định sáp nhập", "Decision"},
    {"hub.console.ui.detail", "Chi tiết", "Detail"},
    {"hub.console.ui.disable", "Vô hiệu hóa", "Disable"},
    {"hub.console.ui.disable_confirm",
     "Vô hiệu hóa tài khoản {0}? Tài khoản sẽ không đăng nhập được nữa.",
     "Disable the account {0}? It will no longer log in."},
    {"hub.console.ui.download_pdf", "Tải PDF", "Download PDF"},
    {"hub.console.ui.download_xlsx", "Tải Excel", "Download Excel"},
    {"hub.console.ui.draft", "Bản nháp", "Draft"},
    {"hub.console.ui.due", "Hạn xử lý", "Due"},
    {"hub.console.ui.enroll_command",
     "Lệnh đăng ký trên máy trạm của đơn vị:", "The command that enrols the agency's PC:"},
    {"hub.console.ui.expired_on_token", "Chứng thư số đã hết hạn còn trên thiết bị",
     "Expired certificates still on a token"},
    {"hub.console.ui.expiring_30", "Chứng thư số hết hạn trong 30 ngày",
     "Certificates expiring within 30 days"},
    {"hub.console.ui.expiring_90", "Chứng thư số hết hạn trong 90 ngày",
     "Certificates expiring within 90 days"},
    {"hub.console.ui.expiring_within", "Hết hạn trong (ngày)", "Expiring within (days)"},
    {"hub.console.ui.export_csv", "Xuất CSV", "Export CSV"},
    {"hub.console.ui.export_xlsx", "Xuất Excel", "Export Excel"},
    {"hub.console.ui.form", "Mẫu {0}", "Form {0}"},
    {"hub.console.ui.forward", "Chuyển nhà cung cấp", "Forward to the provider"},
    {"hub.console.ui.from_units", "Các đơn vị sáp nhập (mã=tên, cách nhau bởi dấu phẩy)",
     "Units merged (code=name, separated by commas)"},
    {"hub.console.ui.history", "Lịch sử xử lý", "History"},
    {"hub.console.ui.holder", "Người được cấp", "Holder"},
    {"hub.console.ui.host", "Máy", "PC"},
    {"hub.console.ui.html_lang", "vi", "en"},
    {"hub.console.ui.hub_url", "Địa chỉ hub (cho cksctl enroll --hub)",
     "The hub's address (for cksctl enroll --hub)"},
    {"hub.console.ui.import", "Nhập danh bạ từ tệp CSV", "Import the directory from a CSV file"},
    {"hub.console.ui.imported",
     "Đã nhập {0} dòng: {1} mới, {2} đổi tên, {3} cập nhật, {4} không đổi.",
     "Imported {0} rows: {1} new, {2} renamed, {3} updated, {4} unchanged."},
    {"hub.console.ui.into_code", "Mã đơn vị mới", "New unit's code"},
    {"hub.console.ui.into_name", "Tên đơn vị mới", "New unit's name"},
    {"hub.console.ui.issue_code", "Tạo mã đăng ký", "Issue an enrolment code"},
    {"hub.console.ui.keep", "Chứng thư giữ lại (dấu vân tay)", "Certificate to keep (fingerprint)"},
    {"hub.console.ui.kind", "Loại", "Kind"},
    {"hub.console.ui.kind_any", "Mọi loại chứng thư", "Any kind"},
    {"hub.console.ui.last_contact", "Liên lạc gần nhất", "Last contact"},
    {"hub.console.ui.last_login", "Đăng nhập gần nhất", "Last login"},
    {"hub.console.ui.line", "Dòng {0}: {1}", "Line {0}: {1}"},
    {"hub.console.ui.locked_tokens", "Thiết bị bị khóa mã PIN", "Tokens with a locked PIN"},
    {"hub.console.ui.login", "Đăng nhập", "Log in"},
    {"hub.console.ui.logout", "Đăng xuất", "Log out"},
    {"hub.console.ui.merged_unit", "Đơn vị sáp nhập", "Merged unit"},
    {"hub.console.ui.merger_heading", "{0} ({1}): đã nhận lô của {2}/{3} đơn vị",
     "{0} ({1}): batches of {2} of {3} units arrived"},
    {"hub.console.ui.merger_published_by", "Thông báo lúc {0} bởi {1}", "Published {0} by {1}"},
    {"hub.console.ui.mergers", "Sáp nhập", "Mergers"},
    {"hub.console.ui.mergers_published", "Các đợt sáp nhập đã thông báo", "Mergers published"},
    {"hub.console.ui.message", "Nội dung", "Message"},
    {"hub.console.ui.missing", "Chưa nộp", "Missing"},
    {"hub.console.ui.name", "Tên đăng nhập", "User name"},
    {"hub.console.ui.never", "Chưa lần nào", "Never"},
    {"hub.console.ui.new_password", "Mật khẩu mới (ít nhất 12 ký tự)",
     "New password (at least 12 characters)"},
    {"hub.console.ui.new_unit", "Đơn vị mới", "New unit"},
    {"hub.console.ui.next", "Trang sau", "Next page"},
    {"hub.console.ui.none", "Không có dòng nào.", "Nothing to show."},
    {"hub.console.ui.not_after", "Hết hạn", "Expires"},
    {"hub.console.ui.one_time_password",
     "Mật khẩu dùng một lần của {0} (chỉ hiện một lần; phải đổi khi đăng nhập lần đầu):",
     "One-time password of {0} (shown only once; changed at the first login):"},
    {"hub.console.ui.open_report", "Xem báo cáo", "Open the report"},
    {"hub.console.ui.open_requests", "Đề nghị đang xử lý", "Open requests"},
    {"hub.console.ui.other_unit", "Cơ quan khác", "Other agency"},
    {"hub.console.ui.overdue", "Quá hạn", "Overdue"},
    {"hub.console.ui.overdue_only", "Chỉ đề nghị quá hạn", "Overdue only"},
    {"hub.console.ui.overdue_requests", "Đề nghị quá hạn", "Overdue requests"},
    {"hub.console.ui.parent", "Đơn vị cấp trên", "Parent"},
    {"hub.console.ui.password", "Mật khẩu", "Password"},
    {"hub.console.ui.pin_any", "Mọi trạng thái PIN", "Any PIN state"},
    {"hub.console.ui.present_any", "Đang cắm hoặc không", "Plugged in or not"},
    {"hub.console.ui.present_no", "Không cắm", "Not plugged in"},
    {"hub.console.ui.present_yes", "Đang cắm", "Plugged in"},
    {"hub.console.ui.print", "In", "Print"},
    {"hub.console.ui.print_form", "In mẫu đơn", "Print the form"},
    {"hub.console.ui.publish", "Công bố", "Publish"},
    {"hub.console.ui.published", "Đã công bố sáp nhập vào {0}: đã báo {1} máy trạm.",
     "Merger into {0} published: {1} agents told."},
    {"hub.console.ui.reason", "Lý do", "Reason"},
    {"hub.console.ui.reason_needed", "Lý do từ chối:", "Why is it rejected?"},
    {"hub.console.ui.received", "Nhận lúc", "Received"},
    {"hub.console.ui.reject", "Từ chối", "Reject"},
    {"hub.console.ui.remarks", "Ý kiến, kiến nghị", "Remarks"},
    {"hub.console.ui.remind_from", "Nhắc từ ngày", "Remind from"},
    {"hub.console.ui.rename", "Đổi tên đơn vị thành tên trên", "Rename the agency to this name"},
    {"hub.console.ui.reports", "Báo cáo năm", "Yearly reports"},
    {"hub.console.ui.reports_draft", "Báo cáo năm {0}: đang soạn", "Reports of {0}: draft"},
    {"hub.console.ui.reports_missing", "Báo cáo năm {0}: chưa có", "Reports of {0}: missing"},
    {"hub.console.ui.reports_submitted", "Báo cáo năm {0}: đã nộp", "Reports of {0}: submitted"},
    {"hub.console.ui.requests", "Đề nghị", "Requests"},
    {"hub.console.ui.reset", "Cấp lại mật khẩu", "Reset the password"},
    {"hub.console.ui.reset_confirm", "Cấp mật khẩu dùng một lần mới cho {0}?",
     "Give {0} a new one-time password?"},
    {"hub.console.ui.revoke", "Thu hồi", "Revoke"},
    {"hub.console.ui.revoke_agent_confirm",
     "Thu hồi máy trạm {0} ({1}) của {2}? Máy này sẽ phải đăng ký lại bằng mã mới.",
     "Revoke the PC {0} ({1}) of {2}? It will have to enrol again with a new code."},
    {"hub.console.ui.revoke_code_confirm", "Thu hồi mã đăng ký {0} của {1}?",
     "Revoke the enrolment code {0} of {1}?"},
    {"hub.console.ui.revoked", "Đã thu hồi", "Revoked"},
    {"hub.console.ui.role", "Vai trò", "Role"},
    {"hub.console.ui.role_admin", "Quản trị", "Administrator"},
    {"hub.console.ui.role_officer", "Cán bộ Sở", "Officer"},
    {"hub.console.ui.role_viewer", "Lãnh đạo Sở", "Viewer"},
    {"hub.console.ui.saved", "Đã đổi mật khẩu.", "Password changed."},
    {"hub.console.ui.search", "Tìm (tên, số hiệu, dấu vân tay)",
     "Search (name, serial, fingerprint)"},
    {"hub.console.ui.search_agency", "Tìm (mã hoặc tên đơn vị)", "Search (agency code or name)"},
    {"hub.console.ui.serial", "Số hiệu", "Serial"},
    {"hub.console.ui.set_deadline", "Đặt hạn nộp", "Set the deadline"},
    {"hub.console.ui.severity", "Mức độ", "Severity"},
    {"hub.console.ui.severity_any", "Mọi mức độ", "Any severity"},
    {"hub.console.ui.show", "Xem", "Show"},
    {"hub.console.ui.sort", "Sắp xếp", "Sort"},
    {"hub.console.ui.sort_agency", "Xếp theo đơn vị", "By agency"},
    {"hub.console.ui.sort_common_name", "Xếp theo tên", "By name"},
    {"hub.console.ui.sort_not_after", "Xếp theo ngày hết hạn", "By expiry date"},
    {"hub.console.ui.stale_agents", "Máy trạm không liên lạc quá {0} ngày",
     "Agents not heard from for {0} days"},
    {"hub.console.ui.state", "Trạng thái", "State"},
    {"hub.console.ui.state_any", "Mọi trạng thái", "Any state"},
    {"hub.console.ui.submit_upward", "Gửi lên hub quốc gia", "Submit to the national hub"},
    {"hub.console.ui.submitted", "Đã nộp", "Submitted"},
    {"hub.console.ui.submitted_upward", "Đã gửi báo cáo năm {0} (phiên bản {1}) lên {2}.",
     "The {0} report (version {1}) was sent to {2}."},
    {"hub.console.ui.target", "Đối tượng", "Target"},
    {"hub.console.ui.title", "Quản lý chữ ký số – Sở Khoa học và Công nghệ",
     "Digital signatures – Department of Science and Technology"},
    {"hub.console.ui.tokens", "Token", "Tokens"},
    {"hub.console.ui.ttl", "Thời hạn của mã (ví dụ 72h, 7d)", "Code valid for (e.g. 72h, 7d)"},
    {"hub.console.ui.type", "Loại đơn vị", "Agency type"},
    {"hub.console.ui.type_commune", "Xã, phường", "Commune"},
    {"hub.console.ui.type_department", "Sở, ban, ngành", "Department"},
    {"hub.console.ui.type_keep", "(giữ loại trong danh bạ)", "(keep the directory's type)"},
    {"hub.console.ui.type_other", "Khác", "Other"},
    {"hub.console.ui.user_state_active", "Đang dùng", "Active"},
    {"hub.console.ui.user_state_disabled", "Đã vô hiệu hóa", "Disabled"},
    {"hub.console.ui.user_state_locked", "Tạm khóa", "Locked"},
    {"hub.console.ui.users", "Người dùng", "Users"},
    {"hub.console.ui.verified", "Chuỗi nhật ký toàn vẹn ({0} dòng).",
     "The audit chain verifies ({0} lines)."},
    {"hub.console.ui.version", "Phiên bản", "Version"},
    {"hub.console.ui.view", "Xem", "View"},
    {"hub.console.ui.year", "Năm", "Year"},
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
    {"hub.merger.no_batch", "chưa nhận", "not arrived yet"},
    {"hub.merger.none", "Tỉnh chưa thông báo việc sáp nhập nào.",
     "The province has published no merger."},
    {"hub.merger.not_found", "Không có thông báo sáp nhập {0}", "No merger {0} was published"},
    {"hub.merger.published",
     "Đã thông báo việc sáp nhập {0} thành {1} tới {2} máy trạm; mỗi đơn vị lập kế hoạch bằng: "
     "cksctl merger plan. Mã thông báo:",
     "The merger of {0} into {1} was announced to {2} agent(s); each unit makes its plan with: "
     "cksctl merger plan. Announcement id:"},
    {"hub.merger.role.merged", "Đơn vị sáp nhập", "Merged unit"},
    {"hub.merger.role.new", "Đơn vị mới", "New unit"},
    {"hub.merger.role.other", "Cơ quan khác", "Other agency"},
    {"hub.merger.title", "Sáp nhập thành {0} ({1}), thông báo lúc {2} bởi {3}, mã {4}",
     "Merger into {0} ({1}), published {2} by {3}, id {4}"},
    {"hub.merger.unit_unknown", "hub chưa biết cơ quan {0}: hãy viết --from \"{0}=Tên đơn vị\"",
     "the hub does not know agency {0}: write --from \"{0}=Unit name\""},
    {"hub.merger.usage",
     "cách dùng: merger publish --into MÃ --name \"TÊN ĐƠN VỊ MỚI\" --from MÃ[=TÊN][,MÃ…] [--keep "
     "DẤU_VÂN_TAY] [--decision \"…\"] | merger list [--json]",
     "usage: merger publish --into CODE --name \"NEW UNIT\" --from CODE[=NAME][,CODE…] [--keep "
     "FINGERPRINT] [--decision \"…\"] | merger list [--json]"},
    {"hub.messages.usage",
     "cách dùng: cks-hub [--lang vi|en] messages [--json]: danh mục thông điệp của hub (mỗi dòng "
     "khóa = nội dung; --json: mọi khóa bằng cả hai ngôn ngữ, cho bảng điều khiển web)",
     "usage: cks-hub [--lang vi|en] messages [--json]: the hub's message catalogue (a line key = "
     "text each; --json: every key in both languages, for the web console)"},
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
    {"hub.revocation.col.entries", "Số mục", "Entries"},
    {"hub.revocation.col.issuer", "Tổ chức cấp", "Issuer"},
    {"hub.revocation.col.last_fetch", "Lần tải gần nhất", "Last fetch"},
    {"hub.revocation.col.next_update", "Cập nhật tiếp theo", "Next update"},
    {"hub.revocation.col.outcome", "Kết quả", "Outcome"},
    {"hub.revocation.col.source", "Nguồn", "Source"},
    {"hub.revocation.col.this_update", "Ngày phát hành", "This update"},
    {"hub.revocation.count", "{0} nguồn danh sách thu hồi.", "{0} revocation list source(s)."},
    {"hub.revocation.never_fetched", "Chưa tải", "Not fetched yet"},
    {"hub.revocation.none",
     "Chưa có nguồn danh sách thu hồi nào: đặt [revocation] crl_urls trong hub.ini, hoặc chờ máy "
     "trạm gửi chứng thư số có điểm phân phối CRL.",
     "No revocation list source yet: set [revocation] crl_urls in hub.ini, or wait for agents to "
     "report certificates naming CRL distribution points."},
    {"hub.revocation.not_configured",
     "Chưa cấu hình danh sách thu hồi: đặt [revocation] ca_files trong hub.ini.",
     "Revocation lists are not configured: set [revocation] ca_files in hub.ini."},
    {"hub.revocation.outcome.accepted", "Đã nhận danh sách mới", "Accepted"},
    {"hub.revocation.outcome.bad_signature", "Từ chối: chữ ký không hợp lệ",
     "Refused: bad signature"},
    {"hub.revocation.outcome.expired", "Từ chối: danh sách đã quá hạn cập nhật",
     "Refused: expired (its nextUpdate has passed)"},
    {"hub.revocation.outcome.older", "Từ chối: cũ hơn danh sách đang giữ",
     "Refused: older than the list held"},
    {"hub.revocation.outcome.unchanged", "Không thay đổi", "Unchanged"},
    {"hub.revocation.outcome.unreachable", "Không tải được", "Unreachable"},
    {"hub.revocation.outcome.unreadable", "Từ chối: không đọc được (hỏng hoặc không phải CRL)",
     "Refused: unreadable (truncated, or not a CRL)"},
    {"hub.revocation.outcome.wrong_issuer", "Từ chối: không do CA đã cấu hình phát hành",
     "Refused: not issued by a configured CA"},
    {"hub.revocation.title", "Danh sách thu hồi chứng thư số (CRL) theo nguồn",
     "Certificate revocation lists (CRLs) by source"},
    {"hub.revocation.usage", "Cách dùng: cks-hub admin revocation [fetch] [--json]",
     "Usage: cks-hub admin revocation [fetch] [--json]"},
    {"hub.revoke.cancelled", "Không thu hồi máy trạm {0}.", "Agent {0} is not revoked."},
    {"hub.revoke.confirm",
     "Thu hồi máy trạm {0} (máy {1}, cơ quan {2} {3})? Máy này sẽ không kết nối được với hub nữa "
     "cho tới khi đăng ký lại. Gõ \"c\" để đồng ý, Enter để thôi: ",
     "Revoke agent {0} (host {1}, agency {2} {3})? It will not reach the hub again until it enrols "
     "anew. Type \"y\" to confirm, Enter to cancel: "},
    {"hub.revoked", "đã thu hồi", "revoked"},
    {"hub.staff.bad_certificate",
     "Không gắn được cho tài khoản {0}: tệp không phải chứng thư số của một người dùng (PEM hoặc "
     "DER, không phải chứng thư CA).",
     "Cannot bind to the account {0}: the file is not a user's certificate (PEM or DER, not a "
     "CA's)."},
    {"hub.staff.bad_login", "Sai tên đăng nhập hoặc mật khẩu.", "Wrong name or password."},
    {"hub.staff.bad_name",
     "Tên đăng nhập \"{0}\" không hợp lệ: cần 3–64 ký tự a-z, 0-9, dấu chấm, gạch dưới hoặc gạch "
     "ngang (chữ thường)",
     "Invalid login name \"{0}\": use 3–64 of a-z, 0-9, '.', '_' or '-' (lower case)"},
    {"hub.staff.certificate_taken", "Chứng thư số {0} đã được gắn cho tài khoản {1}.",
     "The certificate {0} is bound to the account {1} already."},
    {"hub.staff.certificate_unbound",
     "Chứng thư số này (SHA-256 {0}) chưa được gắn cho tài khoản nào: quản trị viên gắn bằng "
     "cks-hub admin user certificate.",
     "This certificate (SHA-256 {0}) is bound to no account: an administrator binds it with "
     "cks-hub admin user certificate."},
    {"hub.staff.disabled", "Tài khoản {0} đã bị vô hiệu hóa.", "The account {0} is disabled."},
    {"hub.staff.locked", "Tài khoản {0} bị tạm khóa do nhập sai mật khẩu nhiều lần, đến {1}.",
     "The account {0} is locked after too many wrong passwords, until {1} (Vietnam time)."},
    {"hub.staff.name_taken", "Đã có tài khoản {0}.", "An account named {0} already exists."},
    {"hub.staff.no_certificate",
     "Không có chứng thư số: trình duyệt không gửi chứng thư số nào được tin cậy.",
     "No certificate: the browser sent no trusted certificate."},
    {"hub.staff.password_same", "Mật khẩu mới phải khác mật khẩu hiện tại.",
     "The new password must differ from the current one."},
    {"hub.staff.password_short", "Mật khẩu mới phải dài ít nhất {0} ký tự.",
     "The new password must be at least {0} characters long."},
    {"hub.staff.unknown", "Không có tài khoản {0}.", "There is no account {0}."},
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
    {"hub.user.added", "Đã tạo tài khoản {0} (vai trò {1}).", "Account {0} created (role {1})."},
    {"hub.user.bad_role", "Vai trò không hợp lệ: \"{0}\" (admin, officer hoặc viewer)",
     "Invalid role \"{0}\" (admin, officer or viewer)"},
    {"hub.user.certificate_bound", "Đã gắn chứng thư số {1} (SHA-256 {2}) cho tài khoản {0}.",
     "Certificate {1} (SHA-256 {2}) bound to the account {0}."},
    {"hub.user.certificate_cleared", "Đã gỡ chứng thư số của tài khoản {0}.",
     "The account {0} no longer has a certificate."},
    {"hub.user.certificate_unreadable", "Không đọc được chứng thư số trong tệp {0} (PEM hoặc DER).",
     "Cannot read a certificate from the file {0} (PEM or DER)."},
    {"hub.user.col.certificate", "Chứng thư số", "Certificate"},
    {"hub.user.col.last_login", "Đăng nhập lần cuối", "Last login"},
    {"hub.user.col.name", "Tên đăng nhập", "Name"},
    {"hub.user.col.role", "Vai trò", "Role"},
    {"hub.user.col.state", "Trạng thái", "State"},
    {"hub.user.disabled", "Đã vô hiệu hóa tài khoản {0}.", "Account {0} disabled."},
    {"hub.user.must_change",
     "Mật khẩu này chỉ hiện một lần; phải đổi mật khẩu ở lần đăng nhập đầu tiên.",
     "It is shown only this once and must be changed at the first login."},
    {"hub.user.never", "chưa đăng nhập", "never"},
    {"hub.user.none", "Chưa có tài khoản nào (cks-hub admin user add --name TÊN --role admin).",
     "No account yet (cks-hub admin user add --name NAME --role admin)."},
    {"hub.user.one_time_password", "Mật khẩu dùng một lần: {0}", "One-time password: {0}"},
    {"hub.user.reset", "Đã cấp mật khẩu mới cho tài khoản {0}; tài khoản được mở lại.",
     "Account {0} has a new password and is enabled again."},
    {"hub.user.role.admin", "Quản trị", "Administrator"},
    {"hub.user.role.officer", "Cán bộ Sở", "Officer"},
    {"hub.user.role.viewer", "Lãnh đạo Sở", "Viewer"},
    {"hub.user.state.active", "đang dùng", "active"},
    {"hub.user.state.disabled", "vô hiệu hóa", "disabled"},
    {"hub.user.state.locked", "tạm khóa", "locked"},
    {"hub.user.title", "Tài khoản cán bộ của bảng điều khiển", "Staff accounts of the console"},
    {"hub.user.usage",
     "cách dùng: user add --name TÊN --role admin|officer|viewer | user list [--json] | user "
     "disable --name TÊN | user reset --name TÊN | user certificate --name TÊN --certificate "
     "TỆP|--clear",
     "usage: user add --name NAME --role admin|officer|viewer | user list [--json] | user "
     "disable --name NAME | user reset --name NAME | user certificate --name NAME --certificate "
     "FILE|--clear"},
    {"hub.yes", "có", "yes"},
};

}  // namespace

MessageTable hubMessages() { return kHubMessages; }

}  // namespace cks::hub
