#include "hub/revocation/issuing_cas.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/x509_text.h"

namespace cks::hub {
namespace {

using BioPtr = OpenSslPtr<BIO, BIO_free>;

// Every certificate of a PEM text, or the one DER certificate `content` is.
Result<std::vector<IssuingCas::X509Ptr>> certificatesOf(const std::string& content,
                                                        const std::string& where) {
  std::vector<IssuingCas::X509Ptr> found;
  if (content.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
    const BioPtr bio(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      found.emplace_back(cert);
    }
    ERR_clear_error();  // the end of the text reads as an error
  } else {
    const auto* at = reinterpret_cast<const unsigned char*>(content.data());
    if (X509* cert = d2i_X509(nullptr, &at, static_cast<long>(content.size()))) {
      found.emplace_back(cert);
    }
  }
  if (found.empty()) {
    return fail(ErrorCode::InvalidArgument, where, ": no certificate (",
                openSslError("neither PEM nor DER"), ")");
  }
  return found;
}

}  // namespace

Result<IssuingCas> IssuingCas::fromFiles(const std::vector<std::string>& paths) {
  IssuingCas cas;
  for (const std::string& path : paths) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return fail(ErrorCode::InvalidArgument, path, ": cannot read");
    std::ostringstream content;
    content << file.rdbuf();
    auto certificates = certificatesOf(content.str(), path);
    if (!certificates) return tl::unexpected(certificates.error());
    for (auto& cert : *certificates) cas.cas_.push_back(std::move(cert));
  }
  return cas;
}

Result<IssuingCas> IssuingCas::fromDer(const std::vector<std::vector<std::uint8_t>>& certificates) {
  IssuingCas cas;
  for (const auto& der : certificates) {
    auto read = certificatesOf(std::string(der.begin(), der.end()), "CA certificate");
    if (!read) return tl::unexpected(read.error());
    for (auto& cert : *read) cas.cas_.push_back(std::move(cert));
  }
  return cas;
}

std::vector<X509*> IssuingCas::named(const X509_NAME* name) const {
  std::vector<X509*> found;
  for (const auto& ca : cas_) {
    if (X509_NAME_cmp(X509_get_subject_name(ca.get()), name) == 0) found.push_back(ca.get());
  }
  return found;
}

std::vector<std::string> IssuingCas::names() const {
  std::vector<std::string> out;
  for (const auto& ca : cas_) out.push_back(x509NameText(X509_get_subject_name(ca.get())));
  return out;
}

}  // namespace cks::hub
