#include "tray/windows/winhttp_connection.h"

#include "tray/windows/wide_text.h"

namespace cks::tray {
namespace {

std::string errorText(const char* call) {
  const DWORD code = GetLastError();
  if (code == ERROR_WINHTTP_CANNOT_CONNECT) return std::string(call) + ": connection refused";
  if (code == ERROR_WINHTTP_TIMEOUT) return std::string(call) + ": timed out";
  if (code == ERROR_WINHTTP_OPERATION_CANCELLED) return std::string(call) + ": cancelled";
  return std::string(call) + ": error " + std::to_string(code);
}

}  // namespace

WinHttpConnection::WinHttpConnection(int port, std::string secret)
    : port_(port), secret_(std::move(secret)) {
  session_ = WinHttpOpen(L"cks-tray", WINHTTP_ACCESS_TYPE_NO_PROXY, WINHTTP_NO_PROXY_NAME,
                         WINHTTP_NO_PROXY_BYPASS, 0);
}

WinHttpConnection::~WinHttpConnection() {
  if (session_) WinHttpCloseHandle(session_);
}

Result<HttpAnswer> WinHttpConnection::get(const std::string& path, std::chrono::seconds timeout) {
  return request(L"GET", path, "", timeout);
}

Result<HttpAnswer> WinHttpConnection::post(const std::string& path, const std::string& body,
                                           std::chrono::seconds timeout) {
  return request(L"POST", path, body, timeout);
}

void WinHttpConnection::cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  for (HINTERNET request : in_flight_) WinHttpCloseHandle(request);
  in_flight_.clear();
}

void WinHttpConnection::release(HINTERNET request) {
  std::lock_guard lock(mutex_);
  if (in_flight_.erase(request)) WinHttpCloseHandle(request);  // else cancel() closed it
}

Result<HttpAnswer> WinHttpConnection::request(const wchar_t* method, const std::string& path,
                                              const std::string& body,
                                              std::chrono::seconds timeout) {
  const std::string where = "127.0.0.1:" + std::to_string(port_);
  if (!session_) return fail(where, ": ", errorText("WinHttpOpen"));
  if (cancelled_) return fail(where, ": cancelled");
  HINTERNET connection = WinHttpConnect(session_, L"127.0.0.1", INTERNET_PORT(port_), 0);
  if (!connection) return fail(where, ": ", errorText("WinHttpConnect"));
  const std::wstring wide_path = wideFromUtf8(path);
  HINTERNET request = WinHttpOpenRequest(connection, method, wide_path.c_str(), nullptr,
                                         WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES, 0);
  if (!request) {
    const std::string why = errorText("WinHttpOpenRequest");
    WinHttpCloseHandle(connection);
    return fail(where, ": ", why);
  }
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) {
      WinHttpCloseHandle(request);
      WinHttpCloseHandle(connection);
      return fail(where, ": cancelled");
    }
    in_flight_.insert(request);
  }
  const int ms = int(std::chrono::milliseconds(timeout).count());
  WinHttpSetTimeouts(request, ms, ms, ms, ms);
  // No secret for the hello (proving_connection.h).
  const std::wstring headers =
      (secret_.empty() ? std::wstring()
                       : L"Authorization: Bearer " + wideFromUtf8(secret_) + L"\r\n") +
      L"Content-Type: application/json\r\nAccept: application/json\r\n";

  Result<HttpAnswer> result = fail(where, ": no answer");
  const DWORD body_size = DWORD(body.size());
  if (!WinHttpSendRequest(request, headers.c_str(), DWORD(-1),
                          body.empty() ? WINHTTP_NO_REQUEST_DATA : const_cast<char*>(body.data()),
                          body_size, body_size, 0)) {
    result = fail(where, ": ", errorText("WinHttpSendRequest"));
  } else if (!WinHttpReceiveResponse(request, nullptr)) {
    result = fail(where, ": ", errorText("WinHttpReceiveResponse"));
  } else {
    HttpAnswer answer;
    DWORD status = 0;
    DWORD size = sizeof status;
    WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                        WINHTTP_HEADER_NAME_BY_INDEX, &status, &size, WINHTTP_NO_HEADER_INDEX);
    answer.status = int(status);
    bool complete = true;
    while (true) {
      DWORD available = 0;
      if (!WinHttpQueryDataAvailable(request, &available)) {
        result = fail(where, ": ", errorText("WinHttpQueryDataAvailable"));
        complete = false;
        break;
      }
      if (available == 0) break;
      std::string chunk(available, '\0');
      DWORD read = 0;
      if (!WinHttpReadData(request, chunk.data(), available, &read)) {
        result = fail(where, ": ", errorText("WinHttpReadData"));
        complete = false;
        break;
      }
      answer.body.append(chunk.data(), read);
    }
    if (complete) result = std::move(answer);
  }
  release(request);
  WinHttpCloseHandle(connection);
  if (!result && cancelled_) return fail(where, ": cancelled");  // the handle closed under it
  return result;
}

}  // namespace cks::tray
