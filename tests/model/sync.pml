/* The sync protocol's outbox push (docs/sync-protocol.md, "The model"), checked by Spin:
 * tests/model/check.sh. Each part names the code it stands for.
 *
 * -DACK_BEFORE_COMMIT  the hub answers a push before its transaction commits, and a hub crash
 *                      in between loses the entry: the check must fail.
 * -DENROL_KILLED_BEFORE_RECORD  the agent is killed during `cksctl enroll --force` after the
 *                      new certificate is written and before the enrolment's record commits
 *                      (sync/client/enrollment.cc: Staging's undo does not run on SIGKILL): the
 *                      new certificate with the old record, until the next sync's undo. A kill
 *                      of its own: the agent's one crash may still come, in the undo too.
 *                      Must pass.
 * -DNO_UNDO_AT_SYNC    with the above, the agent before 074db2c: no sync::undoUnrecordedEnrollment
 *                      at the start of a sync, so the new certificate stays with the old record
 *                      (also the state the split writes before 4de5d63 left on any failure).
 *                      Must fail.
 * -DSTORE_PER_AGENT_ID the hub before the fix of defect 2: an entry is stored once per agent_id,
 *                      an entry resent under a new agent_id is stored again. Must fail. */

#ifndef N
#define N 3          /* entries committed per lane */
#endif
#define L 2          /* lanes: 0 urgent, 1 normal (sync/client/sync_session.h) */
#define ID 2         /* hub identities of the agent: one re-enrolment */
#define B 2          /* SyncOptions::batch_size */
#define SLOTS 2      /* requests in flight on the network */
#ifndef NET_FAULTS
#define NET_FAULTS 2 /* messages lost, duplicated or cut, all kinds together */
#endif
#define AGENT_CRASHES 1
#define HUB_CRASHES 1
#define ENROLMENTS 1
#define ENROL_KILLS 1  /* with -DENROL_KILLED_BEFORE_RECORD */
#define NO_IDENT 255
#define K_MAX_STALLS 2 /* sync_session.cc kMaxStalls */

#define UUID(l, k) ((l) * N + (k))  /* the entry's uuid: its lane and its place in the lane */

/* ---- The agent's store (store/outbox.cc): committed, survives a crash. ---- */
byte created[L];   /* appendOutbox: entries 0..created-1 of the lane were committed */
byte dropped[L];   /* Outbox::acknowledge deleted entries 0..dropped-1 */
byte seqbase[L];   /* Outbox::restartSequences: entry k has seq k - seqbase + 1 */
byte ident;        /* the certificate in hub_dir (sync/client/enrollment.cc): the hub identity */
byte prev_ident = NO_IDENT; /* agent.crt.previous: the enrolment before, kept aside */
byte rec_ident;    /* sync_state's agent_id: the enrolment recorded, with seqbase */

/* ---- The hub's store (hub/store/ingest.cc Ingest::push): committed. ---- */
byte hacked[ID * L];           /* lane_state.acked per (agent_id, lane) */
byte hstore[ID * L * (N + 1)]; /* entries: uuid + 1 at (agent_id, lane, seq); 0 = none */
byte stored[L * N];            /* ... under any identity */

#define HACKED(i, l) hacked[(i) * L + (l)]
#define HSTORE(i, l, s) hstore[((i) * L + (l)) * (N + 1) + (s)]

/* ---- The network: HTTPS requests in flight (sync/client/hub_transport.h) and the answer on
 * the agent's open connection. A request is `live` while the agent waits on its connection;
 * a duplicate or a request of a connection the agent gave up on is stale: its answer goes
 * nowhere. The hub takes any request in flight: reordering. ---- */
bool rq_used[SLOTS];
bool rq_live[SLOTS];
bool rq_cut[SLOTS];   /* truncated body: the hub refuses it (400 bad_request) */
byte rq_ident[SLOTS]; /* the client certificate: the agent_id the hub scopes the push to */
byte rq_lane[SLOTS];
byte rq_front[SLOTS]; /* entries[0].seq */
byte rq_n[SLOTS];     /* how many entries, consecutive seq */
byte rq_base[SLOTS];  /* seqbase when sent: entry of seq s is k = s - 1 + base */

mtype = { OK, BAD_REQUEST, SEQUENCE_GAP, SEQUENCE_CONFLICT };
bool ans_full;
mtype ans_status;
byte ans_acked;

byte net_faults, agent_crashes, hub_crashes, enrolments, enrol_kills;

#define ALL_DONE (created[0] == N && created[1] == N && dropped[0] == N && dropped[1] == N)
#define NO_LIVE_REQUEST (!(rq_used[0] && rq_live[0]) && !(rq_used[1] && rq_live[1]))
#define ROOM (!rq_used[0] || !rq_used[1])

/* A request leaves the network (taken by the hub, or lost). */
inline free_slot(i) {
  rq_used[i] = false; rq_live[i] = false; rq_cut[i] = false; rq_ident[i] = 0; rq_lane[i] = 0;
  rq_front[i] = 0; rq_n[i] = 0; rq_base[i] = 0
}

/* The sync the agent gave up (timeout, crash): its connection is closed. */
inline close_connection() {
  rq_live[0] = false; rq_live[1] = false; ans_full = false
}

/* The scan and the local API (store/inventory.cc, store/alerts.cc, store/requests.cc) commit a
 * change with its outbox entry in one transaction (appendOutbox): an entry exists whole or not
 * at all, whenever the agent runs. */
active proctype Changes() {
end_changes:
  do
  :: atomic { created[0] < N -> created[0]++ }
  :: atomic { created[1] < N -> created[1]++ }
  od
}

/* Ingest::push in one transaction, and SyncApi::push's answer. */
inline ingest(i) {
  id = rq_ident[i]; l = rq_lane[i]; f = rq_front[i]; a = HACKED(id, l);
  status = OK;
  if
  :: rq_cut[i] -> status = BAD_REQUEST  /* decodePushRequest fails: nothing stored */
  :: else ->
    if
    :: f > a + 1 -> status = SEQUENCE_GAP  /* a first seq past acked + 1 */
    :: else ->
      /* Replays: a seq at or below acked stored with another uuid is a conflict. */
      s = f;
      do
      :: s <= a && s < f + rq_n[i] ->
        if
        :: HSTORE(id, l, s) != UUID(l, s - 1 + rq_base[i]) + 1 -> status = SEQUENCE_CONFLICT
        :: else -> skip
        fi;
        s++
      :: else -> break
      od;
      /* New contiguous entries are stored; acked moves to the last. */
      do
      :: status == OK && s < f + rq_n[i] ->
        assert(s == a + 1);
        u = UUID(l, s - 1 + rq_base[i]);
        assert(s - 1 + rq_base[i] < created[l]);  /* only what the agent committed */
        /* In lane order: each stored entry follows the one before it in its lane. */
        assert(s == 1 || HSTORE(id, l, s - 1) == u);
        /* Exactly once: the agent_id's lane does not hold this entry yet. */
        t = 1;
        do
        :: t < s -> assert(HSTORE(id, l, t) != u + 1); t++
        :: else -> break
        od;
        /* The uuid is the entry's identity across the agency's agent_ids: one already stored is
         * acknowledged at this seq and not stored again (Ingest::push, stored_before). */
#ifdef STORE_PER_AGENT_ID
        stored[u]++;
#else
        if
        :: stored[u] == 0 -> stored[u]++
        :: else -> skip
        fi;
#endif
        HSTORE(id, l, s) = u + 1;
        assert(stored[u] == 1);  /* exactly once over all the agent's identities */
        a = s;
        s++
      :: else -> break
      od;
      HACKED(id, l) = a
    fi
  fi
}

/* The hub (hub/sync_server.cc, hub/sync_api.cc SyncApi::push): one request at a time, any in
 * flight. A crash loses only what was not committed: the push's transaction is whole or not. */
active proctype Hub() {
  byte i, id, l, f, a, s, t, u;
  mtype status;
end_hub:
  do
  :: atomic {
       (rq_used[0] || rq_used[1]);
       if
       :: rq_used[0] -> i = 0
       :: rq_used[1] -> i = 1
       fi;
       if
       :: true ->
         ingest(i);
         if
         :: rq_live[i] -> ans_full = true; ans_status = status; ans_acked = a
         :: else -> skip
         fi
       :: hub_crashes < HUB_CRASHES -> hub_crashes++  /* crash before the commit */
       :: hub_crashes < HUB_CRASHES -> hub_crashes++; ingest(i)  /* crash after it */
#ifdef ACK_BEFORE_COMMIT
       :: hub_crashes < HUB_CRASHES && !rq_cut[i] ->
         /* The answer leaves, then the hub crashes before its commit. */
         hub_crashes++;
         a = HACKED(rq_ident[i], rq_lane[i]);
         if
         :: rq_front[i] <= a + 1 && rq_front[i] + rq_n[i] - 1 > a -> a = rq_front[i] + rq_n[i] - 1
         :: else -> skip
         fi;
         if
         :: rq_live[i] && rq_front[i] <= HACKED(rq_ident[i], rq_lane[i]) + 1 ->
           ans_full = true; ans_status = OK; ans_acked = a
         :: else -> skip
         fi
#endif
       fi;
       free_slot(i);
       i = 0; id = 0; l = 0; f = 0; a = 0; s = 0; t = 0; u = 0; status = 0
     }
  od
}

/* Loss, duplication and cuts, bounded; reordering is the hub's free choice above. A connection
 * whose request or answer is lost ends in the agent's timeout. */
active proctype Network() {
  byte i;
end_network:
  do
  :: atomic {
       net_faults < NET_FAULTS && (rq_used[0] || rq_used[1]) ->
       net_faults++;
       if :: rq_used[0] -> i = 0 :: rq_used[1] -> i = 1 fi;
       if
       :: free_slot(i)        /* lost */
       :: rq_cut[i] = true    /* cut */
       :: ROOM ->             /* duplicated (a proxy's retry): nobody waits for its answer */
         if :: !rq_used[0] -> i = 0 :: else -> i = 1 fi;
         rq_used[i] = true; rq_live[i] = false; rq_cut[i] = false;
         rq_ident[i] = rq_ident[1 - i]; rq_lane[i] = rq_lane[1 - i];
         rq_front[i] = rq_front[1 - i]; rq_n[i] = rq_n[1 - i]; rq_base[i] = rq_base[1 - i]
       fi;
       i = 0
     }
  :: atomic { net_faults < NET_FAULTS && ans_full -> net_faults++; ans_full = false }
  od
}

/* The agent: HubSync's syncs (agent/hub_sync.cc, one at a time) of SyncSession::run's pushes
 * (sync/client/sync_session.cc pushLane), and re-enrolment (HubSync::enroll, which holds the
 * same lock). A crash loses the run, never the store. */
active proctype Agent() {
  byte l, front, n, previous_front, stalls, i, k, upto;
  do
  :: ALL_DONE -> break
  :: atomic {
       enrolments < ENROLMENTS ->
       /* sync::enroll: the hub makes a new agent_id (its lanes start empty), the agent writes
        * its files, then HubSync::enroll's recorder writes the whole record (agent_id, and the
        * outbox renumbered by Outbox::recordEnrolment) in one transaction; only then are the
        * files kept. */
       enrolments++;
       if
       :: ident = 1; prev_ident = 0; rec_ident = 1; seqbase[0] = dropped[0]; seqbase[1] = dropped[1]
       :: skip  /* the record fails (disk full, store busy): the files are undone */
#ifdef ENROL_KILLED_BEFORE_RECORD
       :: enrol_kills < ENROL_KILLS -> enrol_kills++; ident = 1; prev_ident = 0
#endif
       fi
     }
  :: atomic {
       !ALL_DONE ->
       l = 0; previous_front = 0; stalls = 0;
#ifndef NO_UNDO_AT_SYNC
       /* sync::undoUnrecordedEnrollment, first in HubSync::runSync: the files of an enrolment
        * whose record never committed give way to the recorded one's. The certificate is
        * renamed last: a kill before it leaves the new certificate and its *.previous, and the
        * next sync undoes again. */
       if
       :: ident != rec_ident && prev_ident == rec_ident ->
         if
         :: ident = prev_ident; prev_ident = NO_IDENT
         :: agent_crashes < AGENT_CRASHES -> agent_crashes++; goto run_end
         fi
       :: else -> skip
       fi
#endif
     };
    do
    :: l == L -> break  /* both lanes empty: the push part of the sync is over */
    :: atomic {
         l < L && dropped[l] == created[l] -> l++; previous_front = 0; stalls = 0
       }
    :: atomic {
         l < L && dropped[l] != created[l] && ROOM ->
         /* Outbox::pending: the first entries of the lane, in ascending seq. */
         front = dropped[l] - seqbase[l] + 1;
         n = created[l] - dropped[l];
         if :: n > B -> n = B :: else -> skip fi;
         if :: front == previous_front -> stalls++ :: else -> stalls = 0 fi;
         previous_front = front;
         if :: stalls >= K_MAX_STALLS -> goto run_end :: else -> skip fi;
         if :: !rq_used[0] -> i = 0 :: else -> i = 1 fi;
         rq_used[i] = true; rq_live[i] = true; rq_cut[i] = false; rq_ident[i] = ident;
         rq_lane[i] = l; rq_front[i] = front; rq_n[i] = n; rq_base[i] = seqbase[l];
         i = 0
       };
       if
       :: atomic {
            ans_full ->
            ans_full = false;
            if
            :: ans_status == OK || ans_status == SEQUENCE_GAP ->
              if
              :: ans_status == SEQUENCE_GAP && ans_acked + 1 < front ->
                /* "the entries between were acknowledged earlier and are gone (was the hub
                 * restored from a backup?)": the agent stops syncing this lane for good. */
                assert(ans_acked + 1 >= front)
              :: ans_acked >= front ->
                /* Outbox::acknowledge: DELETE seq <= acked. */
                upto = ans_acked + seqbase[l];
                assert(upto <= created[l]);
                k = dropped[l];
                do
                :: k < upto ->
                  assert(stored[UUID(l, k)] > 0);  /* dropped only once the hub stored it */
                  k++
                :: else -> break
                od;
                dropped[l] = upto;
                k = 0; upto = 0
              :: else -> skip  /* nothing of what the agent holds */
              fi
            :: ans_status == BAD_REQUEST -> goto run_end  /* keeps the entries, backs off */
            :: ans_status == SEQUENCE_CONFLICT -> assert(ans_status != SEQUENCE_CONFLICT)  /* stops */
            fi
          }
       :: atomic { NO_LIVE_REQUEST && !ans_full -> close_connection(); goto run_end }  /* timeout */
       :: atomic {
            agent_crashes < AGENT_CRASHES -> agent_crashes++; close_connection(); goto run_end
          }
       fi
    od;
run_end:
    atomic { l = 0; front = 0; n = 0; previous_front = 0; stalls = 0 }
  od
}

/* Under weak fairness (pan -a -f) every committed entry reaches the hub and leaves the
 * outbox: the faults are bounded, so the network eventually delivers. */
ltl delivered { <> (created[0] == N && created[1] == N && dropped[0] == N && dropped[1] == N) }
