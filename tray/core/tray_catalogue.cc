// The tray's table of the message catalogue: its menu, notices and alert states.
#include "tray/core/tray_catalogue.h"

namespace cks::tray {
namespace {

// Sorted by key (checked by a test) so lookup is a binary search.
constexpr MessageEntry kTrayMessages[] = {
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
};

}  // namespace

MessageTable trayMessages() { return kTrayMessages; }

}  // namespace cks::tray
