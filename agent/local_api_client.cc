#include "agent/local_api_client.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>

#include <iostream>

#include "agent/api_proof.h"
#include "agent/api_secret.h"

namespace cks::agent {
namespace {

// One exchange on a fresh connection; `secret` empty: no Authorization header.
ApiAnswer exchange(int port, const std::string& method, const std::string& path,
                   std::chrono::seconds timeout, const std::string& secret,
                   const std::string& body) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(2, 0), Poco::Timespan(timeout.count(), 0),
                     Poco::Timespan(timeout.count(), 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!secret.empty()) request.set("Authorization", "Bearer " + secret);
  request.setContentLength(std::streamsize(body.size()));
  if (!body.empty()) request.setContentType("application/json");
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& received = session.receiveResponse(response);
  ApiAnswer answer;
  answer.http_status = response.getStatus();
  Poco::StreamCopier::copyToString(received, answer.body);
  return answer;
}

// The proof in the agent's answer to GET /v1/hello, or "" when the answer is not one.
std::string proofIn(const ApiAnswer& answer) {
  if (answer.http_status != 200) return "";
  try {
    const auto body = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
    return body->optValue<std::string>("proof", "");
  } catch (const Poco::Exception&) {
    return "";
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace

Result<ApiAnswer> LocalApiClient::request(const std::string& method, const std::string& path,
                                          std::chrono::seconds timeout,
                                          const std::string& body) const {
  const std::string where = endpoint();
  try {
    // The secret goes only to a listener that proved it knows it: while the agent is down, any
    // local user may listen on its port (agent/api_proof.h).
    const std::string nonce = newHelloNonce();
    const ApiAnswer hello =
        exchange(port_, "GET", std::string(kHelloPath) + "?nonce=" + nonce, timeout, "", "");
    if (!secretsEqual(proofIn(hello), localApiProof(secret_, nonce))) {
      return fail(ErrorCode::FailedPrecondition, where,
                  ": the program listening there did not prove that it knows the API secret "
                  "(not cks-agent, or an agent with another secret): the secret was not sent");
    }
    return exchange(port_, method, path, timeout, secret_, body);
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
