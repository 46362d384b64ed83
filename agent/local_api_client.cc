#include "agent/local_api_client.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>

#include <iostream>

namespace cks::agent {

Result<ApiAnswer> LocalApiClient::request(const std::string& method, const std::string& path,
                                          std::chrono::seconds timeout,
                                          const std::string& body) const {
  const std::string where = endpoint();
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(2, 0), Poco::Timespan(timeout.count(), 0),
                       Poco::Timespan(timeout.count(), 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + secret_);
    request.setContentLength(std::streamsize(body.size()));
    if (!body.empty()) request.setContentType("application/json");
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& received = session.receiveResponse(response);
    ApiAnswer answer;
    answer.http_status = response.getStatus();
    Poco::StreamCopier::copyToString(received, answer.body);
    return answer;
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return fail(ErrorCode::Unavailable, where, ": connection refused");
  } catch (const Poco::TimeoutException&) {
    return fail(ErrorCode::Unavailable, where, ": no answer (timed out)");
  } catch (const Poco::Exception& e) {
    return fail(ErrorCode::Unavailable, where, ": ", e.displayText());
  }
}

std::optional<ApiAnswer> askAgent(const LocalApiClient& client, const std::string& method,
                                  const std::string& path, std::chrono::seconds timeout,
                                  Language language, const std::string& body) {
  auto answer = client.request(method, path, timeout, body);
  if (!answer) {
    std::cerr << message(language, "cli.agent_unreachable",
                         {client.endpoint(), answer.error().message})
              << '\n';
    return std::nullopt;
  }
  return *answer;
}

}  // namespace cks::agent
