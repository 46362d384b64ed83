// The function list of a PKCS#11 module libp11 has already loaded: libp11 exposes neither
// C_GetSlotList's count nor C_WaitForSlotEvent. Platform code: posix/loaded_module.cc.
#pragma once

#include <p11-kit/pkcs11.h>

#include <string>

namespace cks::pkcs11::internal {

// The module's own function list (the same initialised instance libp11 uses), or nullptr when
// the module at `module_path` is not loaded in this process or has no function list.
[[nodiscard]] CK_FUNCTION_LIST_PTR loadedFunctionList(const std::string& module_path);

}  // namespace cks::pkcs11::internal
