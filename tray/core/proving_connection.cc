#include "tray/core/proving_connection.h"

#include "tray/core/json_value.h"

namespace cks::tray {
namespace {

// Compares without stopping at the first difference: the time taken says nothing of the proof.
bool sameText(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

}  // namespace

std::string lowerHex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return out;
}

std::string expectedProof(const ProofCrypto& crypto, const std::string& secret,
                          const std::string& nonce) {
  return crypto.hmac_sha256(secret, "cks-agent local API v1 " + nonce);
}

ProvingConnection::ProvingConnection(std::unique_ptr<LocalApiConnection> anonymous,
                                     std::unique_ptr<LocalApiConnection> authenticated,
                                     std::string secret, ProofCrypto crypto)
    : anonymous_(std::move(anonymous)),
      authenticated_(std::move(authenticated)),
      secret_(std::move(secret)),
      crypto_(std::move(crypto)) {}

Status ProvingConnection::prove(std::chrono::seconds timeout) {
  const std::string nonce = crypto_.nonce();
  auto hello = anonymous_->get("/v1/hello?nonce=" + nonce, timeout);
  if (!hello) return tl::unexpected(hello.error());
  std::string proof;
  if (hello->status == 200) {
    if (auto body = JsonValue::parse(hello->body); body) {
      proof = (*body)["proof"].asString().value_or("");
    }
  }
  if (proof.empty() || !sameText(proof, expectedProof(crypto_, secret_, nonce))) {
    return fail(ErrorCode::FailedPrecondition,
                "the program listening on the agent's port did not prove that it knows the API "
                "secret (not cks-agent, or an agent with another secret): the secret was not sent");
  }
  return ok();
}

Result<HttpAnswer> ProvingConnection::get(const std::string& path, std::chrono::seconds timeout) {
  CKS_TRY(prove(timeout));
  return authenticated_->get(path, timeout);
}

Result<HttpAnswer> ProvingConnection::post(const std::string& path, const std::string& body,
                                           std::chrono::seconds timeout) {
  CKS_TRY(prove(timeout));
  return authenticated_->post(path, body, timeout);
}

void ProvingConnection::cancel() {
  anonymous_->cancel();
  authenticated_->cancel();
}

}  // namespace cks::tray
