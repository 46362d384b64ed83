#include "tray/core/http_message.h"

#include <cctype>
#include <charconv>

#include "core/text.h"

namespace cks::tray {
namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

Result<std::string> dechunk(std::string_view data) {
  std::string body;
  while (true) {
    const auto line_end = data.find("\r\n");
    if (line_end == std::string_view::npos) return fail("http: truncated chunk size");
    std::string_view size_text = data.substr(0, line_end);
    size_text = size_text.substr(0, size_text.find(';'));
    size_t size = 0;
    const auto [end, ec] =
        std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
    if (ec != std::errc() || size_text.empty()) return fail("http: bad chunk size");
    data.remove_prefix(line_end + 2);
    if (size == 0) return body;
    if (data.size() < size + 2) return fail("http: truncated chunk");
    body.append(data.substr(0, size));
    data.remove_prefix(size + 2);
  }
}

// Calls `visit(name, value)` for each header line of `head` (the lines after the status line,
// without the blank line), trimmed; stops when it returns false.
template <typename Visit>
void forEachHeader(std::string_view head, Visit visit) {
  while (!head.empty()) {
    const auto line_end = head.find("\r\n");
    const std::string_view line = head.substr(0, line_end);
    head = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (!visit(trim(line.substr(0, colon), " \t\r"), trim(line.substr(colon + 1), " \t\r"))) return;
  }
}

}  // namespace

std::string httpRequest(const std::string& method, const std::string& path, int port,
                        const std::string& secret, const std::string& body) {
  std::string request = method + " " + path + " HTTP/1.1\r\n";
  request += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  if (!secret.empty()) request += "Authorization: Bearer " + secret + "\r\n";
  request += "User-Agent: cks-tray\r\n";
  request += "Accept: application/json\r\n";
  request += "Connection: close\r\n";
  if (method == "POST" || !body.empty()) {
    request += "Content-Type: application/json\r\n";
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n";
  request += body;
  return request;
}

bool httpResponseComplete(std::string_view received) {
  const auto head_end = received.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return false;
  std::string_view head = received.substr(0, head_end);
  const size_t body_size = received.size() - head_end - 4;
  bool complete = false;
  forEachHeader(head, [&](std::string_view name, std::string_view value) {
    if (equalsIgnoreCase(name, "Transfer-Encoding") && equalsIgnoreCase(value, "chunked")) {
      complete = received.size() >= 5 && received.substr(received.size() - 5) == "0\r\n\r\n";
      return false;
    }
    if (equalsIgnoreCase(name, "Content-Length")) {
      size_t length = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
      complete = error == std::errc() && body_size >= length;
      return false;
    }
    return true;
  });
  return complete;
}

Result<HttpAnswer> parseHttpResponse(std::string_view response) {
  const auto head_end = response.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return fail("http: incomplete response header");
  std::string_view head = response.substr(0, head_end);
  std::string_view rest = response.substr(head_end + 4);
  const auto status_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, status_end);
  if (status_line.substr(0, 5) != "HTTP/" || status_line.find(' ') == std::string_view::npos) {
    return fail("http: bad status line");
  }
  HttpAnswer answer;
  const std::string_view code = status_line.substr(status_line.find(' ') + 1, 3);
  const auto [ptr, ec] = std::from_chars(code.data(), code.data() + code.size(), answer.status);
  if (ec != std::errc() || ptr != code.data() + code.size()) return fail("http: bad status code");

  bool chunked = false;
  long long length = -1;
  head = status_end == std::string_view::npos ? std::string_view() : head.substr(status_end + 2);
  bool bad_length = false;
  forEachHeader(head, [&](std::string_view name, std::string_view value) {
    if (equalsIgnoreCase(name, "Transfer-Encoding") && equalsIgnoreCase(value, "chunked")) {
      chunked = true;
    } else if (equalsIgnoreCase(name, "Content-Length")) {
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
      bad_length = error != std::errc() || end != value.data() + value.size() || length < 0;
    }
    return !bad_length;
  });
  if (bad_length) return fail("http: bad Content-Length");
  if (chunked) {
    auto body = dechunk(rest);
    if (!body) return tl::unexpected(body.error());
    answer.body = std::move(*body);
  } else if (length >= 0) {
    if (rest.size() < size_t(length)) return fail("http: body shorter than its Content-Length");
    answer.body = std::string(rest.substr(0, size_t(length)));
  } else {
    answer.body = std::string(rest);
  }
  return answer;
}

}  // namespace cks::tray
