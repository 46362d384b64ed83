#include <dlfcn.h>

#include "pkcs11/internal/loaded_module.h"

namespace cks::pkcs11::internal {

// The module is already loaded and initialised by libp11, so RTLD_NOLOAD hands back the same
// instance.
CK_FUNCTION_LIST_PTR loadedFunctionList(const std::string& module_path) {
  void* handle = dlopen(module_path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return nullptr;
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(dlsym(handle, "C_GetFunctionList"));
  CK_FUNCTION_LIST_PTR list = nullptr;
  if (get_list == nullptr || get_list(&list) != CKR_OK) list = nullptr;
  dlclose(handle);  // drops only the reference RTLD_NOLOAD added
  return list;
}

}  // namespace cks::pkcs11::internal
