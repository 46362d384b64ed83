// Paths of the deliberately misbehaving PKCS#11 modules built in tests/pkcs11/modules.
#pragma once

#include <string>

#include "tests/support/process.h"

namespace cks::test {

// "crash" (segfaults in C_GetSlotList), "hang" (never returns from it), "spy" (forwards to
// CKS_SPY_TARGET and logs every call to CKS_SPY_LOG).
inline std::string testModule(const std::string& name) {
  return buildPath("tests/pkcs11/modules/libcks_test_" + name + "_module.so");
}

}  // namespace cks::test
