/* Pass-through ("spy") PKCS#11 module for the cks tests.
 *
 * Loads the real module named by CKS_SPY_TARGET (e.g. SoftHSM) and forwards
 * every call to it, and:
 *  - CKS_SPY_LOG=<file>: appends "<function name>\n" for every PKCS#11 call
 *    made to the spy (open/O_APPEND/close per call, so several processes can
 *    share one log). Tests grep it to prove C_Login/C_InitPIN/C_SetPIN/
 *    C_InitToken are never called. Calls the spy makes internally are not logged.
 *  - CKS_SPY_TOKEN_FLAGS=<hex>: ORed into CK_TOKEN_INFO.flags by C_GetTokenInfo
 *    (0x10000 PIN count low, 0x20000 final try, 0x40000 PIN locked), only for
 *    the token whose trimmed serialNumber equals CKS_SPY_TOKEN_FLAGS_FOR_SERIAL
 *    when that is set.
 *  - C_WaitForSlotEvent is implemented here (SoftHSM does not support it),
 *    unless CKS_SPY_NO_SLOT_EVENTS is set (then CKR_FUNCTION_NOT_SUPPORTED).
 *
 * Slot events. The first call takes a baseline: the serials of the present,
 * initialised tokens (tokens with a blank serial, such as SoftHSM's spare
 * "uninitialised token" slot, are ignored) as the target currently sees them.
 * Every call then polls, every 200 ms, and returns CKR_OK with *slot set when
 * a serial appeared or disappeared relative to what earlier calls reported
 * (one change per call; further changes stay pending for the next call).
 * CKF_DONT_BLOCK polls once and returns CKR_NO_EVENT if nothing changed.
 * C_Finalize from another thread makes a blocked wait return
 * CKR_CRYPTOKI_NOT_INITIALIZED.
 *
 * CAVEAT - re-initialisation. SoftHSM reads its token directory only in
 * C_Initialize, so a token created or deleted by another process (softhsm2-util)
 * is invisible until the module is re-initialised, and a second independent
 * copy of the same .so cannot be dlopen()ed. Each poll therefore calls the
 * target's C_Finalize + C_Initialize (with the caller's original init args)
 * before listing tokens. This suits the intended caller, a dedicated watcher
 * process that only calls C_Initialize, C_GetSlotList and C_WaitForSlotEvent
 * (and after an event sees the fresh token list, because the target was just
 * re-initialised). To avoid silently breaking other callers, the re-init is
 * skipped while any session opened through the spy is still open; the poll
 * then only sees what the target reports without re-initialisation (for
 * SoftHSM: no changes made by other processes). Target calls are serialised
 * against the re-init with a read/write lock.
 */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <p11-kit/pkcs11.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CKS_EXPORT __attribute__((visibility("default")))

/* ---- target loading and call serialisation ------------------------------ */

static pthread_mutex_t g_load_lock = PTHREAD_MUTEX_INITIALIZER;
/* Read-locked around every forwarded call, write-locked by C_Initialize,
 * C_Finalize and the slot-event poll (which re-initialises the target). */
static pthread_rwlock_t g_target_lock = PTHREAD_RWLOCK_INITIALIZER;
static CK_FUNCTION_LIST_PTR g_target; /* set once, never reset */
static CK_C_INITIALIZE_ARGS g_init_args;
static bool g_have_init_args;

static bool load_target(void) {
  pthread_mutex_lock(&g_load_lock);
  bool ok = true;
  pthread_rwlock_rdlock(&g_target_lock);
  bool loaded = g_target != NULL;
  pthread_rwlock_unlock(&g_target_lock);
  if (!loaded) {
    ok = false;
    const char* path = getenv("CKS_SPY_TARGET");
    if (path == NULL || *path == '\0') {
      fprintf(stderr, "cks spy module: CKS_SPY_TARGET is not set\n");
    } else {
      void* lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
      void* sym = lib ? dlsym(lib, "C_GetFunctionList") : NULL;
      CK_C_GetFunctionList get = NULL;
      memcpy(&get, &sym, sizeof get); /* object -> function pointer, ISO-C clean */
      CK_FUNCTION_LIST_PTR list = NULL;
      if (get == NULL) {
        fprintf(stderr, "cks spy module: cannot load %s: %s\n", path, dlerror());
      } else if (get(&list) != CKR_OK || list == NULL) {
        fprintf(stderr, "cks spy module: C_GetFunctionList of %s failed\n", path);
      } else {
        pthread_rwlock_wrlock(&g_target_lock);
        g_target = list;
        pthread_rwlock_unlock(&g_target_lock);
        ok = true;
      }
    }
  }
  pthread_mutex_unlock(&g_load_lock);
  return ok;
}

static void spy_log(const char* name) {
  const char* path = getenv("CKS_SPY_LOG");
  if (path == NULL || *path == '\0') return;
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  char line[64];
  int n = snprintf(line, sizeof line, "%s\n", name);
  ssize_t written = write(fd, line, (size_t)n); /* one write: atomic with O_APPEND */
  (void)written;
  close(fd);
}

/* Logs the call and read-locks the target; returns NULL if not loaded. */
static CK_FUNCTION_LIST_PTR enter(const char* name) {
  spy_log(name);
  pthread_rwlock_rdlock(&g_target_lock);
  return g_target;
}
static void leave(void) { pthread_rwlock_unlock(&g_target_lock); }

/* ---- sessions opened through the spy (re-init is skipped while any is open) */

static pthread_mutex_t g_sess_lock = PTHREAD_MUTEX_INITIALIZER;
static struct session {
  CK_SESSION_HANDLE handle;
  CK_SLOT_ID slot;
} * g_sessions;
static size_t g_nsessions, g_sessions_cap;

static void sessions_add(CK_SESSION_HANDLE h, CK_SLOT_ID slot) {
  pthread_mutex_lock(&g_sess_lock);
  if (g_nsessions == g_sessions_cap) {
    size_t cap = g_sessions_cap ? 2 * g_sessions_cap : 16;
    struct session* grown = realloc(g_sessions, cap * sizeof *grown);
    if (grown != NULL) g_sessions = grown, g_sessions_cap = cap;
  }
  if (g_nsessions < g_sessions_cap) g_sessions[g_nsessions++] = (struct session){h, slot};
  pthread_mutex_unlock(&g_sess_lock);
}

/* Removes the session with handle h (all_of_slot false) or all of slot. */
static void sessions_remove(CK_SESSION_HANDLE h, CK_SLOT_ID slot, bool all_of_slot) {
  pthread_mutex_lock(&g_sess_lock);
  for (size_t i = 0; i < g_nsessions;) {
    bool match = all_of_slot ? g_sessions[i].slot == slot : g_sessions[i].handle == h;
    if (match)
      g_sessions[i] = g_sessions[--g_nsessions];
    else
      ++i;
  }
  pthread_mutex_unlock(&g_sess_lock);
}

static size_t sessions_open(void) {
  pthread_mutex_lock(&g_sess_lock);
  size_t n = g_nsessions;
  pthread_mutex_unlock(&g_sess_lock);
  return n;
}

/* ---- slot events --------------------------------------------------------- */

#define MAX_TOKENS 128
struct token_set {
  size_t n;
  struct {
    char serial[17];
    CK_SLOT_ID slot;
  } t[MAX_TOKENS];
};

static pthread_mutex_t g_ev_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_ev_cond = PTHREAD_COND_INITIALIZER; /* signalled by C_Finalize */
static bool g_initialized;                                  /* guarded by g_ev_lock */
static unsigned g_generation;    /* bumped by C_Finalize; guarded by g_ev_lock */
static bool g_have_baseline;     /* guarded by g_ev_lock */
static struct token_set g_known; /* tokens as reported so far; guarded by g_ev_lock */

static void trimmed_serial(const CK_TOKEN_INFO* info, char out[17]) {
  size_t n = sizeof info->serialNumber;
  while (n > 0 && (info->serialNumber[n - 1] == ' ' || info->serialNumber[n - 1] == '\0')) --n;
  memcpy(out, info->serialNumber, n);
  out[n] = '\0';
}

/* Lists present tokens, re-initialising the target first if `refresh` and no
 * spy session is open. Called with g_ev_lock held. */
static CK_RV snapshot(struct token_set* out, bool refresh) {
  out->n = 0;
  pthread_rwlock_wrlock(&g_target_lock);
  CK_RV rv = CKR_OK;
  if (refresh && sessions_open() == 0) {
    g_target->C_Finalize(NULL);
    rv = g_target->C_Initialize(g_have_init_args ? &g_init_args : NULL);
  }
  CK_ULONG count = 0;
  CK_SLOT_ID* slots = NULL;
  if (rv == CKR_OK) rv = g_target->C_GetSlotList(CK_TRUE, NULL, &count);
  if (rv == CKR_OK && count > 0) {
    slots = calloc(count, sizeof *slots);
    rv = slots ? g_target->C_GetSlotList(CK_TRUE, slots, &count) : CKR_HOST_MEMORY;
  }
  for (CK_ULONG i = 0; rv == CKR_OK && i < count && out->n < MAX_TOKENS; ++i) {
    CK_TOKEN_INFO info;
    if (g_target->C_GetTokenInfo(slots[i], &info) != CKR_OK) continue;
    trimmed_serial(&info, out->t[out->n].serial);
    if (out->t[out->n].serial[0] == '\0') continue;
    out->t[out->n++].slot = slots[i];
  }
  pthread_rwlock_unlock(&g_target_lock);
  free(slots);
  return rv;
}

static long find_serial(const struct token_set* set, const char* serial) {
  for (size_t i = 0; i < set->n; ++i)
    if (strcmp(set->t[i].serial, serial) == 0) return (long)i;
  return -1;
}

/* Moves g_known one change towards `cur`; returns true and the slot if any. */
static bool take_change(const struct token_set* cur, CK_SLOT_ID* slot) {
  for (size_t i = 0; i < cur->n; ++i) {
    if (find_serial(&g_known, cur->t[i].serial) < 0 && g_known.n < MAX_TOKENS) {
      g_known.t[g_known.n++] = cur->t[i];
      *slot = cur->t[i].slot;
      return true;
    }
  }
  for (size_t i = 0; i < g_known.n; ++i) {
    if (find_serial(cur, g_known.t[i].serial) < 0) {
      *slot = g_known.t[i].slot;
      g_known.t[i] = g_known.t[--g_known.n];
      return true;
    }
  }
  return false;
}

static CK_RV spy_C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR slot, CK_VOID_PTR reserved) {
  (void)reserved;
  spy_log("C_WaitForSlotEvent");
  if (getenv("CKS_SPY_NO_SLOT_EVENTS") != NULL) return CKR_FUNCTION_NOT_SUPPORTED;
  if (slot == NULL) return CKR_ARGUMENTS_BAD;
  pthread_mutex_lock(&g_ev_lock);
  CK_RV rv = CKR_CRYPTOKI_NOT_INITIALIZED;
  unsigned generation = g_generation;
  if (!g_initialized) goto out;
  if (!g_have_baseline) {
    if ((rv = snapshot(&g_known, false)) != CKR_OK) goto out;
    g_have_baseline = true;
  }
  static struct token_set cur; /* large; guarded by g_ev_lock */
  for (;;) {
    if ((rv = snapshot(&cur, true)) != CKR_OK) goto out;
    if (take_change(&cur, slot)) goto out;
    rv = CKR_NO_EVENT;
    if (flags & CKF_DONT_BLOCK) goto out;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 200 * 1000 * 1000;
    if (deadline.tv_nsec >= 1000000000L) deadline.tv_sec += 1, deadline.tv_nsec -= 1000000000L;
    while (generation == g_generation &&
           pthread_cond_timedwait(&g_ev_cond, &g_ev_lock, &deadline) != ETIMEDOUT) {
    }
    rv = CKR_CRYPTOKI_NOT_INITIALIZED;
    if (generation != g_generation || !g_initialized) goto out;
  }
out:
  pthread_mutex_unlock(&g_ev_lock);
  return rv;
}

/* ---- hand-written wrappers ----------------------------------------------- */

static CK_RV spy_C_Initialize(CK_VOID_PTR init_args) {
  spy_log("C_Initialize");
  if (!load_target()) return CKR_GENERAL_ERROR;
  pthread_rwlock_wrlock(&g_target_lock);
  CK_RV rv = g_target->C_Initialize(init_args);
  if (rv == CKR_OK) {
    g_have_init_args = init_args != NULL;
    if (g_have_init_args) g_init_args = *(CK_C_INITIALIZE_ARGS*)init_args;
  }
  pthread_rwlock_unlock(&g_target_lock);
  if (rv == CKR_OK) {
    pthread_mutex_lock(&g_ev_lock);
    g_initialized = true;
    g_have_baseline = false;
    pthread_mutex_unlock(&g_ev_lock);
  }
  return rv;
}

static CK_RV spy_C_Finalize(CK_VOID_PTR reserved) {
  spy_log("C_Finalize");
  pthread_mutex_lock(&g_ev_lock); /* wake any blocked C_WaitForSlotEvent */
  g_initialized = false;
  ++g_generation;
  pthread_cond_broadcast(&g_ev_cond);
  pthread_mutex_unlock(&g_ev_lock);
  pthread_rwlock_wrlock(&g_target_lock);
  CK_RV rv = g_target ? g_target->C_Finalize(reserved) : CKR_CRYPTOKI_NOT_INITIALIZED;
  pthread_rwlock_unlock(&g_target_lock);
  pthread_mutex_lock(&g_sess_lock);
  free(g_sessions); /* the module may be unloaded next: leave nothing behind */
  g_sessions = NULL;
  g_nsessions = g_sessions_cap = 0;
  pthread_mutex_unlock(&g_sess_lock);
  return rv;
}

static CK_RV spy_C_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  CK_FUNCTION_LIST_PTR t = enter("C_GetTokenInfo");
  CK_RV rv = t ? t->C_GetTokenInfo(slot, info) : CKR_CRYPTOKI_NOT_INITIALIZED;
  leave();
  const char* extra = getenv("CKS_SPY_TOKEN_FLAGS");
  if (rv != CKR_OK || extra == NULL || *extra == '\0') return rv;
  const char* only = getenv("CKS_SPY_TOKEN_FLAGS_FOR_SERIAL");
  char serial[17];
  trimmed_serial(info, serial);
  if (only == NULL || strcmp(only, serial) == 0) info->flags |= strtoul(extra, NULL, 16);
  return rv;
}

static CK_RV spy_C_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify,
                               CK_SESSION_HANDLE_PTR session) {
  CK_FUNCTION_LIST_PTR t = enter("C_OpenSession");
  CK_RV rv = t ? t->C_OpenSession(slot, flags, app, notify, session) : CKR_CRYPTOKI_NOT_INITIALIZED;
  if (rv == CKR_OK) sessions_add(*session, slot); /* still locked: no re-init in between */
  leave();
  return rv;
}

static CK_RV spy_C_CloseSession(CK_SESSION_HANDLE session) {
  CK_FUNCTION_LIST_PTR t = enter("C_CloseSession");
  CK_RV rv = t ? t->C_CloseSession(session) : CKR_CRYPTOKI_NOT_INITIALIZED;
  if (rv == CKR_OK || rv == CKR_SESSION_HANDLE_INVALID) sessions_remove(session, 0, false);
  leave();
  return rv;
}

static CK_RV spy_C_CloseAllSessions(CK_SLOT_ID slot) {
  CK_FUNCTION_LIST_PTR t = enter("C_CloseAllSessions");
  CK_RV rv = t ? t->C_CloseAllSessions(slot) : CKR_CRYPTOKI_NOT_INITIALIZED;
  if (rv == CKR_OK) sessions_remove(0, slot, true);
  leave();
  return rv;
}

static CK_RV spy_C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);

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

/* G: generic forwarder, S: written by hand above. */
// clang-format off
#define FUNCTIONS(G, S)                                                                          \
  S(C_Initialize) S(C_Finalize)                                                                  \
  G(C_GetInfo, (CK_INFO_PTR i), (i))                                                             \
  S(C_GetFunctionList)                                                                           \
  G(C_GetSlotList, (CK_BBOOL p, CK_SLOT_ID_PTR l, CK_ULONG_PTR n), (p, l, n))                    \
  G(C_GetSlotInfo, (CK_SLOT_ID s, CK_SLOT_INFO_PTR i), (s, i))                                   \
  S(C_GetTokenInfo)                                                                              \
  G(C_GetMechanismList, (CK_SLOT_ID s, CK_MECHANISM_TYPE_PTR m, CK_ULONG_PTR n), (s, m, n))      \
  G(C_GetMechanismInfo, (CK_SLOT_ID s, CK_MECHANISM_TYPE t, CK_MECHANISM_INFO_PTR i), (s, t, i)) \
  G(C_InitToken, (CK_SLOT_ID s, CK_UTF8CHAR_PTR p, CK_ULONG l, CK_UTF8CHAR_PTR lab), (s, p, l, lab)) \
  G(C_InitPIN, (CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR p, CK_ULONG l), (h, p, l))                  \
  G(C_SetPIN, (CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR o, CK_ULONG ol, CK_UTF8CHAR_PTR n, CK_ULONG nl), \
    (h, o, ol, n, nl))                                                                           \
  S(C_OpenSession) S(C_CloseSession) S(C_CloseAllSessions)                                       \
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
  S(C_WaitForSlotEvent)
// clang-format on

#define FORWARD(...) FORWARD_(__VA_ARGS__)
// clang-format off
#define FORWARD_(name, params, args)                                       \
  static CK_RV spy_##name params {                                         \
    CK_FUNCTION_LIST_PTR target_ = enter(#name);                           \
    CK_RV rv_ = target_ ? target_->name args : CKR_CRYPTOKI_NOT_INITIALIZED; \
    leave();                                                               \
    return rv_;                                                            \
  }
// clang-format on
#define NONE(name)
FUNCTIONS(FORWARD, NONE)

#define ENTRY(name, ...) .name = spy_##name,
#define ENTRY1(name) .name = spy_##name,
static CK_FUNCTION_LIST g_list = {.version = {2, 40}, FUNCTIONS(ENTRY, ENTRY1)};

static CK_RV spy_C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
  spy_log("C_GetFunctionList");
  if (list == NULL) return CKR_ARGUMENTS_BAD;
  load_target(); /* failures are reported on stderr and again by C_Initialize */
  *list = &g_list;
  return CKR_OK;
}

CKS_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
  return spy_C_GetFunctionList(list);
}
