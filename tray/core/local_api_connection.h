// How cks-tray reaches the agent's local API (docs/local-api.md): one authenticated HTTP
// request to 127.0.0.1 at a time per call. Implementations: tray/linux (POSIX sockets) and
// tray/windows (WinHTTP); tests hand in fakes. Implementations are safe to call from several
// threads at once (each call is its own connection).
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"

namespace cks::tray {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

class LocalApiConnection {
 public:
  virtual ~LocalApiConnection() = default;

  // GET `path` (with its query). The agent's answer whatever its status; an error only when no
  // answer came within `timeout` (refused, dropped, timed out, cancelled).
  [[nodiscard]] virtual Result<HttpAnswer> get(const std::string& path,
                                               std::chrono::seconds timeout) = 0;
  // POST `path` with a JSON `body` (may be empty); as get().
  [[nodiscard]] virtual Result<HttpAnswer> post(const std::string& path, const std::string& body,
                                                std::chrono::seconds timeout) = 0;
  // Makes calls in progress and later ones fail promptly (the tray is quitting). Thread-safe.
  virtual void cancel() = 0;
};

}  // namespace cks::tray
