// Answers shaped as the agent's local API writes them (docs/alerts.md), for the tray's tests.
#pragma once

#include <cstdint>
#include <string>

namespace cks::tray::samples {

// One alert object as GET /v1/alerts and the events carry it.
inline std::string alertJson(std::int64_t id, const std::string& uuid, const std::string& severity,
                             const std::string& state, const std::string& message,
                             const std::string& raised_at = "2025-03-01T08:00:00Z") {
  return R"({"id":)" + std::to_string(id) + R"(,"kind":"certificate_expiring","severity":")" +
         severity +
         R"(","fingerprint_sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","threshold_days":30,"message":")" +
         message + R"(","raised_at":")" + raised_at + R"(","state":")" + state + R"(","uuid":")" +
         uuid +
         R"(","module":null,"changed_at":"2025-03-01T08:00:00Z","snoozed_until":null,"resolution":null,"params":{"name":"Nguyễn Văn A","agency":"UBND xã Bình Chương","not_after":"2025-03-31T00:00:00Z"}})";
}

inline const std::string kExpiringMessage =
    "Chứng thư số của Nguyễn Văn A (UBND xã Bình Chương) hết hạn sau 30 ngày — cần lập đề nghị "
    "gia hạn";

inline std::string eventJson(std::int64_t seq, const std::string& type, const std::string& alert) {
  return R"({"seq":)" + std::to_string(seq) + R"(,"type":")" + type +
         R"(","at":"2025-03-01T08:00:00Z","alert":)" + alert + "}";
}

inline std::string eventsJson(std::int64_t cursor, const std::string& events_csv = "") {
  return R"({"cursor":)" + std::to_string(cursor) + R"(,"events":[)" + events_csv + "]}";
}

}  // namespace cks::tray::samples
