// The floor for a token scan: one process, one libp11 context, every slot's token and its
// certificates enumerated once, nothing parsed or stored. bench/scan_bench.sh compares
// `cks-agent --once` against it.
#include <libp11.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: cks-bench-p11-floor MODULE\n");
    return 2;
  }
  PKCS11_CTX* ctx = PKCS11_CTX_new();
  if (PKCS11_CTX_load(ctx, argv[1]) < 0) return 1;
  PKCS11_SLOT* slots = nullptr;
  unsigned int nslots = 0;
  if (PKCS11_enumerate_slots(ctx, &slots, &nslots) < 0) return 1;
  unsigned int tokens = 0, certs = 0;
  for (unsigned int i = 0; i < nslots; ++i) {
    if (slots[i].token == nullptr || !slots[i].token->initialized) continue;
    PKCS11_CERT* list = nullptr;
    unsigned int count = 0;
    if (PKCS11_enumerate_certs(slots[i].token, &list, &count) == 0) certs += count;
    ++tokens;
  }
  std::printf("%u tokens, %u certificates\n", tokens, certs);
  PKCS11_release_all_slots(ctx, slots, nslots);
  PKCS11_CTX_unload(ctx);
  PKCS11_CTX_free(ctx);
  return 0;
}
