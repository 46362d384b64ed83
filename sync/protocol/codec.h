// JSON codecs for the protocol messages. Decoding validates types and required fields and
// says which one is wrong ("entries[3].seq: expected an integer"), so the hub can answer 400
// with a reason and the agent can log what the hub sent.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "sync/protocol/messages.h"

namespace cks::sync {

[[nodiscard]] std::string encode(const EnrollRequest& message);
[[nodiscard]] std::string encode(const EnrollResponse& message);
[[nodiscard]] std::string encode(const RenewRequest& message);
[[nodiscard]] std::string encode(const RenewResponse& message);
[[nodiscard]] std::string encode(const PushRequest& message);
[[nodiscard]] std::string encode(const PushResponse& message);
[[nodiscard]] std::string encode(const PullRequest& message);
[[nodiscard]] std::string encode(const PullResponse& message);
[[nodiscard]] std::string encode(const DigestRequest& message);
[[nodiscard]] std::string encode(const DigestResponse& message);
[[nodiscard]] std::string encode(const ErrorBody& message);

[[nodiscard]] Result<EnrollRequest> decodeEnrollRequest(std::string_view json);
[[nodiscard]] Result<EnrollResponse> decodeEnrollResponse(std::string_view json);
[[nodiscard]] Result<RenewRequest> decodeRenewRequest(std::string_view json);
[[nodiscard]] Result<RenewResponse> decodeRenewResponse(std::string_view json);
[[nodiscard]] Result<PushRequest> decodePushRequest(std::string_view json);
[[nodiscard]] Result<PushResponse> decodePushResponse(std::string_view json);
[[nodiscard]] Result<PullRequest> decodePullRequest(std::string_view json);
[[nodiscard]] Result<PullResponse> decodePullResponse(std::string_view json);
[[nodiscard]] Result<DigestRequest> decodeDigestRequest(std::string_view json);
[[nodiscard]] Result<DigestResponse> decodeDigestResponse(std::string_view json);
[[nodiscard]] Result<ErrorBody> decodeErrorBody(std::string_view json);

}  // namespace cks::sync
