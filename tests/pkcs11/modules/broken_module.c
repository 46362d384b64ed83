/* Test PKCS#11 module that models vendor middleware which crashes or hangs: built twice,
 * as the crash module and (with CKS_BROKEN_MODULE_HANGS defined) the hang module.
 *
 * C_GetFunctionList, C_Initialize, C_Finalize and C_GetInfo behave normally;
 * C_GetSlotList dereferences a NULL pointer (a real SIGSEGV), or never returns. Every other
 * function returns CKR_FUNCTION_NOT_SUPPORTED. Only C_GetFunctionList is
 * exported (the library is built with hidden visibility). */
#define _POSIX_C_SOURCE 200809L

#include <p11-kit/pkcs11.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#define CKS_EXPORT __attribute__((visibility("default")))

static int g_initialized;

/* Copies s into a blank-padded, non-terminated PKCS#11 string field. */
static void pad(CK_UTF8CHAR* field, size_t size, const char* s) {
  memset(field, ' ', size);
  size_t n = strlen(s);
  memcpy(field, s, n < size ? n : size);
}

static CK_RV m_C_Initialize(CK_VOID_PTR init_args) {
  (void)init_args;
  if (g_initialized) return CKR_CRYPTOKI_ALREADY_INITIALIZED;
  g_initialized = 1;
  return CKR_OK;
}

static CK_RV m_C_Finalize(CK_VOID_PTR reserved) {
  if (reserved != NULL) return CKR_ARGUMENTS_BAD;
  if (!g_initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  g_initialized = 0;
  return CKR_OK;
}

static CK_RV m_C_GetInfo(CK_INFO_PTR info) {
  if (!g_initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  if (info == NULL) return CKR_ARGUMENTS_BAD;
  memset(info, 0, sizeof *info);
  info->cryptokiVersion.major = 2;
  info->cryptokiVersion.minor = 40;
  pad(info->manufacturerID, sizeof info->manufacturerID, "cks test middleware");
  pad(info->libraryDescription, sizeof info->libraryDescription, "cks broken test module");
  info->libraryVersion.major = 1;
  return CKR_OK;
}

static CK_RV m_C_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count) {
  (void)present;
  (void)list;
  (void)count;
#ifdef CKS_BROKEN_MODULE_HANGS
  for (;;) sleep(1);
#else
  /* Both the pointer and the pointee are volatile: the compiler can neither
   * prove the pointer NULL nor drop the store as dead (gcc -O2 removes the
   * store when only the pointer is volatile). */
  volatile int* volatile bad = NULL;
  *bad = 42;
#endif
  return CKR_GENERAL_ERROR; /* not reached */
}

static CK_RV m_C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);

/* ---- PKCS#11 2.40 function list, in CK_FUNCTION_LIST order ------------- */
/* Parameter shapes shared by several functions: (prototype), (arguments). */
#define S_H (CK_SESSION_HANDLE h), (h)
#define S_MECH_KEY (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k), (h, m, k)
// clang-format off
#define S_IN_OUT                                                                            \
  (CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len), \
      (h, in, in_len, out, out_len)
// clang-format on
#define S_OUT (CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG_PTR out_len), (h, out, out_len)
#define S_IN (CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len), (h, in, in_len)
// clang-format off
#define S_TEMPLATE \
  (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR t, CK_ULONG n), (h, o, t, n)
// clang-format on

/* G: generic (not supported) stub, S: written by hand above. */
// clang-format off
#define FUNCTIONS(G, S)                                                                          \
  S(C_Initialize) S(C_Finalize) S(C_GetInfo) S(C_GetFunctionList) S(C_GetSlotList)               \
  G(C_GetSlotInfo, (CK_SLOT_ID s, CK_SLOT_INFO_PTR i), (s, i))                                   \
  G(C_GetTokenInfo, (CK_SLOT_ID s, CK_TOKEN_INFO_PTR i), (s, i))                                 \
  G(C_GetMechanismList, (CK_SLOT_ID s, CK_MECHANISM_TYPE_PTR m, CK_ULONG_PTR n), (s, m, n))      \
  G(C_GetMechanismInfo, (CK_SLOT_ID s, CK_MECHANISM_TYPE t, CK_MECHANISM_INFO_PTR i), (s, t, i)) \
  G(C_InitToken, (CK_SLOT_ID s, CK_UTF8CHAR_PTR p, CK_ULONG l, CK_UTF8CHAR_PTR lab), (s, p, l, lab)) \
  G(C_InitPIN, (CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR p, CK_ULONG l), (h, p, l))                  \
  G(C_SetPIN, (CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR o, CK_ULONG ol, CK_UTF8CHAR_PTR n, CK_ULONG nl), \
    (h, o, ol, n, nl))                                                                           \
  G(C_OpenSession, (CK_SLOT_ID s, CK_FLAGS f, CK_VOID_PTR a, CK_NOTIFY cb, CK_SESSION_HANDLE_PTR h), \
    (s, f, a, cb, h))                                                                            \
  G(C_CloseSession, S_H)                                                                         \
  G(C_CloseAllSessions, (CK_SLOT_ID s), (s))                                                     \
  G(C_GetSessionInfo, (CK_SESSION_HANDLE h, CK_SESSION_INFO_PTR i), (h, i))                      \
  G(C_GetOperationState, S_OUT)                                                                  \
  G(C_SetOperationState,                                                                         \
    (CK_SESSION_HANDLE h, CK_BYTE_PTR s, CK_ULONG l, CK_OBJECT_HANDLE e, CK_OBJECT_HANDLE a),    \
    (h, s, l, e, a))                                                                             \
  G(C_Login, (CK_SESSION_HANDLE h, CK_USER_TYPE u, CK_UTF8CHAR_PTR p, CK_ULONG l), (h, u, p, l)) \
  G(C_Logout, S_H)                                                                               \
  G(C_CreateObject, (CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR t, CK_ULONG n, CK_OBJECT_HANDLE_PTR o), \
    (h, t, n, o))                                                                                \
  G(C_CopyObject,                                                                                \
    (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR t, CK_ULONG n,                    \
     CK_OBJECT_HANDLE_PTR c),                                                                    \
    (h, o, t, n, c))                                                                             \
  G(C_DestroyObject, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o), (h, o))                          \
  G(C_GetObjectSize, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ULONG_PTR s), (h, o, s))       \
  G(C_GetAttributeValue, S_TEMPLATE)                                                             \
  G(C_SetAttributeValue, S_TEMPLATE)                                                             \
  G(C_FindObjectsInit, (CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR t, CK_ULONG n), (h, t, n))         \
  G(C_FindObjects, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE_PTR o, CK_ULONG m, CK_ULONG_PTR n),    \
    (h, o, m, n))                                                                                \
  G(C_FindObjectsFinal, S_H)                                                                     \
  G(C_EncryptInit, S_MECH_KEY) G(C_Encrypt, S_IN_OUT) G(C_EncryptUpdate, S_IN_OUT)               \
  G(C_EncryptFinal, S_OUT)                                                                       \
  G(C_DecryptInit, S_MECH_KEY) G(C_Decrypt, S_IN_OUT) G(C_DecryptUpdate, S_IN_OUT)               \
  G(C_DecryptFinal, S_OUT)                                                                       \
  G(C_DigestInit, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m), (h, m)) G(C_Digest, S_IN_OUT)       \
  G(C_DigestUpdate, S_IN) G(C_DigestKey, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE k), (h, k))      \
  G(C_DigestFinal, S_OUT)                                                                        \
  G(C_SignInit, S_MECH_KEY) G(C_Sign, S_IN_OUT) G(C_SignUpdate, S_IN) G(C_SignFinal, S_OUT)      \
  G(C_SignRecoverInit, S_MECH_KEY) G(C_SignRecover, S_IN_OUT)                                    \
  G(C_VerifyInit, S_MECH_KEY)                                                                    \
  G(C_Verify, (CK_SESSION_HANDLE h, CK_BYTE_PTR d, CK_ULONG dl, CK_BYTE_PTR s, CK_ULONG sl),     \
    (h, d, dl, s, sl))                                                                           \
  G(C_VerifyUpdate, S_IN) G(C_VerifyFinal, S_IN)                                                 \
  G(C_VerifyRecoverInit, S_MECH_KEY) G(C_VerifyRecover, S_IN_OUT)                                \
  G(C_DigestEncryptUpdate, S_IN_OUT) G(C_DecryptDigestUpdate, S_IN_OUT)                          \
  G(C_SignEncryptUpdate, S_IN_OUT) G(C_DecryptVerifyUpdate, S_IN_OUT)                            \
  G(C_GenerateKey,                                                                               \
    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR t, CK_ULONG n,                    \
     CK_OBJECT_HANDLE_PTR k),                                                                    \
    (h, m, t, n, k))                                                                             \
  G(C_GenerateKeyPair,                                                                           \
    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR pt, CK_ULONG pn,                  \
     CK_ATTRIBUTE_PTR vt, CK_ULONG vn, CK_OBJECT_HANDLE_PTR pk, CK_OBJECT_HANDLE_PTR vk),        \
    (h, m, pt, pn, vt, vn, pk, vk))                                                              \
  G(C_WrapKey,                                                                                   \
    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE w, CK_OBJECT_HANDLE k,            \
     CK_BYTE_PTR out, CK_ULONG_PTR out_len),                                                     \
    (h, m, w, k, out, out_len))                                                                  \
  G(C_UnwrapKey,                                                                                 \
    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE u, CK_BYTE_PTR in,                \
     CK_ULONG in_len, CK_ATTRIBUTE_PTR t, CK_ULONG n, CK_OBJECT_HANDLE_PTR k),                   \
    (h, m, u, in, in_len, t, n, k))                                                              \
  G(C_DeriveKey,                                                                                 \
    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE b, CK_ATTRIBUTE_PTR t,            \
     CK_ULONG n, CK_OBJECT_HANDLE_PTR k),                                                        \
    (h, m, b, t, n, k))                                                                          \
  G(C_SeedRandom, S_IN) G(C_GenerateRandom, S_IN)                                                \
  G(C_GetFunctionStatus, S_H) G(C_CancelFunction, S_H)                                           \
  G(C_WaitForSlotEvent, (CK_FLAGS f, CK_SLOT_ID_PTR s, CK_VOID_PTR r), (f, s, r))
// clang-format on

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define STUB(...) STUB_(__VA_ARGS__)
// clang-format off
#define STUB_(name, params, args) \
  static CK_RV m_##name params { return CKR_FUNCTION_NOT_SUPPORTED; }
// clang-format on
#define NONE(name)
FUNCTIONS(STUB, NONE)
#pragma GCC diagnostic pop

#define ENTRY(name, ...) .name = m_##name,
#define ENTRY1(name) .name = m_##name,
static CK_FUNCTION_LIST g_list = {.version = {2, 40}, FUNCTIONS(ENTRY, ENTRY1)};

static CK_RV m_C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
  if (list == NULL) return CKR_ARGUMENTS_BAD;
  *list = &g_list;
  return CKR_OK;
}

CKS_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
  return m_C_GetFunctionList(list);
}
