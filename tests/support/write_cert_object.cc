// cks-test-write-cert: writes bytes as a certificate object onto a token, as a CA's
// enrolment software would. Unlike pkcs11-tool it does not insist on a parseable certificate,
// so tests can put a truncated or garbage DER on a token. Test-only: it logs in with the PIN
// the test gave the token (the agent never does).
//
//   cks-test-write-cert MODULE TOKEN_LABEL PIN OBJECT_LABEL ID_HEX FILE
#include <dlfcn.h>
#include <openssl/x509.h>
#include <p11-kit/pkcs11.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

int die(const char* what, CK_RV rv) {
  std::fprintf(stderr, "cks-test-write-cert: %s: 0x%lx\n", what, static_cast<unsigned long>(rv));
  return 1;
}

std::string padded(const std::string& label) {
  std::string out = label.substr(0, 32);
  out.resize(32, ' ');
  return out;
}

std::vector<unsigned char> fromHex(const std::string& hex) {
  std::vector<unsigned char> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: cks-test-write-cert MODULE TOKEN_LABEL PIN LABEL ID_HEX FILE\n");
    return 2;
  }
  std::ifstream in(argv[6], std::ios::binary);
  std::vector<unsigned char> value((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  void* module = dlopen(argv[1], RTLD_NOW);
  if (module == nullptr) return die(dlerror(), 0);
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(dlsym(module, "C_GetFunctionList"));
  CK_FUNCTION_LIST_PTR p11 = nullptr;
  if (get_list == nullptr || get_list(&p11) != CKR_OK) return die("C_GetFunctionList", 0);
  CK_RV rv = p11->C_Initialize(nullptr);
  if (rv != CKR_OK) return die("C_Initialize", rv);
  CK_ULONG count = 0;
  p11->C_GetSlotList(CK_TRUE, nullptr, &count);
  std::vector<CK_SLOT_ID> slots(count);
  p11->C_GetSlotList(CK_TRUE, slots.data(), &count);
  const std::string wanted = padded(argv[2]);
  CK_SLOT_ID slot = 0;
  bool found = false;
  for (CK_SLOT_ID candidate : slots) {
    CK_TOKEN_INFO info;
    if (p11->C_GetTokenInfo(candidate, &info) == CKR_OK &&
        std::memcmp(info.label, wanted.data(), 32) == 0) {
      slot = candidate;
      found = true;
    }
  }
  if (!found) return die("no token with that label", 0);
  CK_SESSION_HANDLE session;
  rv = p11->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session);
  if (rv != CKR_OK) return die("C_OpenSession", rv);
  rv = p11->C_Login(session, CKU_USER, reinterpret_cast<CK_UTF8CHAR_PTR>(argv[3]),
                    std::strlen(argv[3]));
  if (rv != CKR_OK) return die("C_Login", rv);

  // CKA_SUBJECT must be given at creation (PKCS#11 2.40 §4.6.3): take it from the certificate,
  // or an empty Name for bytes that are not one.
  std::vector<unsigned char> subject = {0x30, 0x00};
  const unsigned char* cursor = value.data();
  if (X509* cert = d2i_X509(nullptr, &cursor, static_cast<long>(value.size()))) {
    unsigned char* der = nullptr;
    const int length = i2d_X509_NAME(X509_get_subject_name(cert), &der);
    subject.assign(der, der + length);
    OPENSSL_free(der);
    X509_free(cert);
  }
  CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
  CK_CERTIFICATE_TYPE type = CKC_X_509;
  CK_BBOOL yes = CK_TRUE;
  auto id = fromHex(argv[5]);
  std::string label = argv[4];
  CK_ATTRIBUTE attributes[] = {
      {CKA_CLASS, &cls, sizeof cls},           {CKA_CERTIFICATE_TYPE, &type, sizeof type},
      {CKA_TOKEN, &yes, sizeof yes},           {CKA_LABEL, label.data(), label.size()},
      {CKA_ID, id.data(), id.size()},          {CKA_SUBJECT, subject.data(), subject.size()},
      {CKA_VALUE, value.data(), value.size()},
  };
  CK_OBJECT_HANDLE object;
  rv = p11->C_CreateObject(session, attributes, sizeof attributes / sizeof attributes[0], &object);
  if (rv != CKR_OK) return die("C_CreateObject", rv);
  p11->C_Logout(session);
  p11->C_CloseSession(session);
  p11->C_Finalize(nullptr);
  return 0;
}
