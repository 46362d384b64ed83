// std::unique_ptr for OpenSSL objects, each with its own free function:
// `OpenSslPtr<X509, X509_free> cert(d2i_X509(…));`. Shared by the parsing code and the test PKI
// (later: enrolment CSRs and the hub's agent CA).
#pragma once

#include <memory>

namespace cks {

template <auto Free>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* object) const {
    Free(object);
  }
};

template <typename T, auto Free>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<Free>>;

}  // namespace cks
