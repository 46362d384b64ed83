// cks-p11probe: loads one PKCS#11 module, lists its tokens and certificates without login,
// prints one JSON document and exits. Run by cks-agent as a child process so that vendor
// middleware that crashes or hangs cannot take the agent down.
//
//   cks-p11probe MODULE                 one listing as JSON (exit 0 ok, 1 the module failed)
//   cks-p11probe --watch MODULE         one line "event SLOT" per slot event, until it fails;
//                                       "unsupported" when the module has no slot events
//   cks-p11probe --registered-modules   the module paths p11-kit knows, one per line
#include <p11-kit/p11-kit.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "core/version.h"
#include "pkcs11/token_lister.h"

namespace {

int printRegisteredModules() {
  // Loaded (dlopen) but not initialised: only their file names are read.
  CK_FUNCTION_LIST** modules = p11_kit_modules_load(nullptr, P11_KIT_MODULE_UNMANAGED);
  if (modules == nullptr) {
    std::fprintf(stderr, "p11-kit: %s\n", p11_kit_message() ? p11_kit_message() : "no modules");
    return 1;
  }
  for (CK_FUNCTION_LIST** module = modules; *module != nullptr; ++module) {
    char* path = p11_kit_module_get_filename(*module);
    if (path != nullptr) std::printf("%s\n", path);
    free(path);
  }
  p11_kit_modules_release(modules);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("cks-p11probe %s\n", cks::kVersion);
    return 0;
  }
  if (argc == 2 && std::strcmp(argv[1], "--registered-modules") == 0) {
    return printRegisteredModules();
  }
  if (argc == 3 && std::strcmp(argv[1], "--watch") == 0) {
    const std::string why = cks::pkcs11::watchSlotEvents(argv[2], [](unsigned long slot) {
      std::printf("event %lu\n", slot);
      std::fflush(stdout);
    });
    std::printf("%s\n", why.c_str());
    return why == "unsupported" ? 0 : 1;
  }
  if (argc != 2 || argv[1][0] == '-') {
    std::fprintf(
        stderr, "usage: cks-p11probe MODULE | --watch MODULE | --registered-modules | --version\n");
    return 2;
  }
  const auto report = cks::pkcs11::listModule(argv[1]);
  std::cout << cks::pkcs11::toJson(report) << '\n';
  return report.outcome == cks::pkcs11::ProbeOutcome::Ok ? 0 : 1;
}
