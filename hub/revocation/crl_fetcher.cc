#include "hub/revocation/crl_fetcher.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <istream>

namespace cks::hub {

Result<std::vector<std::uint8_t>> fetchCrl(const std::string& url, const FetchSettings& settings) {
  const std::string where = "revocation: fetch " + url;
  try {
    const Poco::URI uri(url);
    if (uri.getScheme() != "http" || uri.getHost().empty()) {
      return fail(ErrorCode::InvalidArgument, where, ": only http:// URLs are fetched");
    }
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    auto proxy = settings.proxy ? settings.proxy(uri.getHost())
                                : Result<std::optional<FetchProxy>>(std::nullopt);
    if (!proxy) return tl::unexpected(proxy.error().wrap(where));
    if (*proxy) {
      session.setProxy((*proxy)->host, static_cast<Poco::UInt16>((*proxy)->port));
      if (!(*proxy)->username.empty()) {
        session.setProxyCredentials((*proxy)->username, (*proxy)->password);
      }
    }
    const Poco::Timespan timeout(
        std::chrono::duration_cast<std::chrono::microseconds>(settings.timeout).count());
    session.setTimeout(timeout);
    // Through a proxy the request line carries the whole URL; Poco writes it so when a proxy is
    // set.
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("User-Agent", "cks-hub");
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
      return fail(ErrorCode::Unavailable, where, ": HTTP ", std::to_string(response.getStatus()),
                  " ", response.getReason());
    }
    std::vector<std::uint8_t> bytes;
    char buffer[64 * 1024];
    while (body.read(buffer, sizeof buffer) || body.gcount() > 0) {
      bytes.insert(bytes.end(), buffer, buffer + body.gcount());
      if (bytes.size() > settings.max_bytes) {
        return fail(ErrorCode::Unavailable, where, ": larger than ",
                    std::to_string(settings.max_bytes), " bytes");
      }
    }
    return bytes;
  } catch (const Poco::Exception& e) {
    return fail(ErrorCode::Unavailable, where, ": ", e.displayText());
  } catch (const std::exception& e) {
    return fail(ErrorCode::Unavailable, where, ": ", e.what());
  }
}

}  // namespace cks::hub
