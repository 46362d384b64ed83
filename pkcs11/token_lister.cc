#include "pkcs11/token_lister.h"

#include <libp11.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <p11-kit/pkcs11.h>

#include <memory>
#include <span>

#include "core/text.h"
#include "pkcs11/internal/loaded_module.h"

namespace cks::pkcs11 {
namespace {

std::string hex(const unsigned char* bytes, size_t size) {
  return hexLower(std::span(bytes, size));
}

std::string lastOpenSslError() {
  const unsigned long code = ERR_peek_last_error();
  std::string text = "unknown error";
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    text = buffer;
  }
  ERR_clear_error();
  return text;
}

std::string ckrText(CK_RV rv) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "CKR 0x%08lx", static_cast<unsigned long>(rv));
  return buffer;
}

// Reads every certificate object of a token directly: used when libp11 could not parse one
// (it then keeps no bytes), so the inventory can still record it as unparseable.
std::string readCertificatesRaw(CK_FUNCTION_LIST_PTR fl, CK_SLOT_ID slot,
                                std::vector<ProbedCertificate>& out) {
  CK_SESSION_HANDLE session = 0;
  CK_RV rv = fl->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &session);
  if (rv != CKR_OK) return "C_OpenSession: " + ckrText(rv);
  CK_OBJECT_CLASS cert_class = CKO_CERTIFICATE;
  CK_ATTRIBUTE filter{CKA_CLASS, &cert_class, sizeof cert_class};
  std::vector<CK_OBJECT_HANDLE> objects;
  if ((rv = fl->C_FindObjectsInit(session, &filter, 1)) == CKR_OK) {
    CK_OBJECT_HANDLE object;
    CK_ULONG found = 0;
    while (fl->C_FindObjects(session, &object, 1, &found) == CKR_OK && found == 1) {
      objects.push_back(object);
    }
    fl->C_FindObjectsFinal(session);
  }
  auto attribute = [&](CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) {
    CK_ATTRIBUTE attr{type, nullptr, 0};
    std::vector<unsigned char> value;
    if (fl->C_GetAttributeValue(session, object, &attr, 1) == CKR_OK &&
        attr.ulValueLen != CK_UNAVAILABLE_INFORMATION) {
      value.resize(attr.ulValueLen);
      attr.pValue = value.data();
      if (fl->C_GetAttributeValue(session, object, &attr, 1) != CKR_OK) value.clear();
    }
    return value;
  };
  for (CK_OBJECT_HANDLE object : objects) {
    const auto label = attribute(object, CKA_LABEL);
    const auto id = attribute(object, CKA_ID);
    out.push_back({std::string(label.begin(), label.end()), hex(id.data(), id.size()),
                   attribute(object, CKA_VALUE)});
  }
  fl->C_CloseSession(session);
  return rv == CKR_OK ? "" : "C_FindObjectsInit: " + ckrText(rv);
}

struct ContextDeleter {
  void operator()(PKCS11_CTX* ctx) const {
    PKCS11_CTX_unload(ctx);
    PKCS11_CTX_free(ctx);
  }
};
using ContextPtr = std::unique_ptr<PKCS11_CTX, ContextDeleter>;

ContextPtr loadModule(const std::string& module_path, std::string& error) {
  PKCS11_CTX* ctx = PKCS11_CTX_new();
  if (ctx == nullptr) {
    error = "PKCS11_CTX_new failed";
    return nullptr;
  }
  if (PKCS11_CTX_load(ctx, module_path.c_str()) < 0) {
    error = "cannot load module: " + lastOpenSslError();
    PKCS11_CTX_free(ctx);
    return nullptr;
  }
  ERR_clear_error();  // libp11 leaves harmless entries behind after a successful load
  return ContextPtr(ctx);
}

void listCertificates(PKCS11_SLOT* slot, CK_FUNCTION_LIST_PTR fl, ProbedToken& token) {
  PKCS11_CERT* certs = nullptr;
  unsigned int count = 0;
  if (PKCS11_enumerate_certs(slot->token, &certs, &count) < 0) {
    token.error = "cannot list certificates: " + lastOpenSslError();
    return;
  }
  bool all_parsed = true;
  for (unsigned int i = 0; i < count; ++i) {
    if (certs[i].x509 == nullptr) {
      all_parsed = false;
      break;
    }
    unsigned char* der = nullptr;
    const int length = i2d_X509(certs[i].x509, &der);
    if (length <= 0) {
      all_parsed = false;
      break;
    }
    token.certificates.push_back({certs[i].label ? certs[i].label : "",
                                  hex(certs[i].id, certs[i].id_len),
                                  std::vector<std::uint8_t>(der, der + length)});
    OPENSSL_free(der);
  }
  if (!all_parsed) {
    token.certificates.clear();
    if (fl == nullptr) {
      token.error = "a certificate object could not be decoded and the module cannot be re-read";
      return;
    }
    token.error = readCertificatesRaw(fl, PKCS11_get_slotid_from_slot(slot), token.certificates);
  }
}

}  // namespace

ProbeReport listModule(const std::string& module_path) {
  ProbeReport report;
  report.module = module_path;
  std::string error;
  ContextPtr ctx = loadModule(module_path, error);
  if (!ctx) {
    report.detail = error;
    return report;
  }
  report.library_description = ctx->description ? ctx->description : "";
  report.library_manufacturer = ctx->manufacturer ? ctx->manufacturer : "";

  // libp11 0.4.12 returns -1 for a module with zero slots, indistinguishable from a failure:
  // ask the module for the count first.
  CK_FUNCTION_LIST_PTR fl = internal::loadedFunctionList(module_path);
  if (fl != nullptr) {
    CK_ULONG slot_count = 0;
    const CK_RV rv = fl->C_GetSlotList(CK_FALSE, nullptr, &slot_count);
    if (rv != CKR_OK) {
      report.detail = "C_GetSlotList: " + ckrText(rv);
      return report;
    }
    if (slot_count == 0) {
      report.outcome = ProbeOutcome::Ok;
      return report;
    }
  }
  PKCS11_SLOT* slots = nullptr;
  unsigned int nslots = 0;
  // Enumerated exactly once per process: PKCS11_update_slots segfaults on a second call with
  // more than one slot (libp11 0.4.12), and the probe exits after one listing anyway.
  if (PKCS11_enumerate_slots(ctx.get(), &slots, &nslots) < 0) {
    report.detail = "cannot list slots: " + lastOpenSslError();
    return report;
  }
  report.slot_count = nslots;
  for (unsigned int i = 0; i < nslots; ++i) {
    PKCS11_SLOT* slot = &slots[i];
    if (slot->token == nullptr) continue;
    const PKCS11_TOKEN* t = slot->token;
    ProbedToken token;
    token.slot_id = PKCS11_get_slotid_from_slot(slot);
    token.slot_description = slot->description ? slot->description : "";
    token.serial = t->serialnr ? t->serialnr : "";
    token.label = t->label ? t->label : "";
    token.manufacturer = t->manufacturer ? t->manufacturer : "";
    token.model = t->model ? t->model : "";
    token.pin_flags.count_low = t->userPinCountLow != 0;
    token.pin_flags.final_try = t->userPinFinalTry != 0;
    token.pin_flags.locked = t->userPinLocked != 0;
    token.pin_flags.initialized = t->initialized != 0;
    token.pin_flags.user_pin_set = t->userPinSet != 0;
    if (t->initialized) listCertificates(slot, fl, token);
    report.tokens.push_back(std::move(token));
  }
  PKCS11_release_all_slots(ctx.get(), slots, nslots);
  report.outcome = ProbeOutcome::Ok;
  return report;
}

std::string watchSlotEvents(const std::string& module_path,
                            const std::function<void(unsigned long)>& on_event) {
  std::string error;
  ContextPtr ctx = loadModule(module_path, error);
  if (!ctx) return error;
  CK_FUNCTION_LIST_PTR fl = internal::loadedFunctionList(module_path);
  if (fl == nullptr) return "cannot reach the module's function list";
  for (;;) {
    CK_SLOT_ID slot = 0;
    const CK_RV rv = fl->C_WaitForSlotEvent(0, &slot, nullptr);
    if (rv == CKR_FUNCTION_NOT_SUPPORTED) return "unsupported";
    if (rv != CKR_OK) return "C_WaitForSlotEvent: " + ckrText(rv);
    on_event(slot);
  }
}

}  // namespace cks::pkcs11
