// LocalApiConnection over WinHTTP: plain HTTP to 127.0.0.1:port, no proxy, the bearer secret
// in each request. cancel() closes the requests in flight so a long poll ends at once.
// Thread-safe.
#pragma once

#include <windows.h>
#include <winhttp.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>

#include "tray/core/local_api_connection.h"

namespace cks::tray {

class WinHttpConnection : public LocalApiConnection {
 public:
  WinHttpConnection(int port, std::string secret);
  ~WinHttpConnection() override;
  WinHttpConnection(const WinHttpConnection&) = delete;
  WinHttpConnection& operator=(const WinHttpConnection&) = delete;

  [[nodiscard]] Result<HttpAnswer> get(const std::string& path,
                                       std::chrono::seconds timeout) override;
  [[nodiscard]] Result<HttpAnswer> post(const std::string& path, const std::string& body,
                                        std::chrono::seconds timeout) override;
  void cancel() override;

 private:
  Result<HttpAnswer> request(const wchar_t* method, const std::string& path,
                             const std::string& body, std::chrono::seconds timeout);
  void release(HINTERNET request);

  int port_;
  std::string secret_;
  HINTERNET session_ = nullptr;
  std::mutex mutex_;
  std::set<HINTERNET> in_flight_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace cks::tray
