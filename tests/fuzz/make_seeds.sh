#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/) from real messages:
# the protocol's golden fixtures (tests/sync/fixtures), the shipped agent.ini and hub.ini, and a
# small PKI made here with openssl (a CA, certificates with distribution points, CRLs signed by
# it: data/crl_ca.pem is the CA the crl target trusts). Deterministic apart from the PKI's keys
# and dates; run again only to refresh the seeds (docs/fuzzing.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
pki="$(mktemp -d)"
trap 'rm -rf "$pki"' EXIT

rm -rf "$here/corpus"
mkdir -p "$here/corpus" "$here/data"

# --- a small PKI: CA, two leaves (one with a CRL distribution point), CRLs ------------------
cd "$pki"
cat > ca.cnf <<'CNF'
[ca]
default_ca = here
[here]
database = index.txt
crlnumber = crlnumber
default_md = sha256
default_crl_days = 3650
[leaf]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, nonRepudiation
extendedKeyUsage = clientAuth, emailProtection
subjectAltName = email:officer@quangngai.gov.vn, DNS:agent.example.vn
crlDistributionPoints = URI:http://ca.example.vn/crl/ca.crl, URI:ldap://ca.example.vn/cn=ca
certificatePolicies = 1.3.6.1.4.1.99999.1.2
[crl]
authorityKeyIdentifier = keyid
CNF
touch index.txt
echo 1000 > crlnumber
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -days 3650 \
  -subj "/C=VN/O=Ban Cơ yếu Chính phủ/CN=CA phục vụ các cơ quan Nhà nước G2" -utf8 \
  -set_serial 1 -out ca.pem 2>/dev/null
leaf() {  # name subject serial
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
    -subj "$2" -utf8 -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -set_serial "$3" -days 730 \
    -extfile ca.cnf -extensions leaf -out "$1.pem" 2>/dev/null
  openssl x509 -in "$1.pem" -outform DER -out "$1.der"
}
leaf officer "/C=VN/L=Quảng Ngãi/O=UBND tỉnh Quảng Ngãi/OU=UBND xã Bình Chương/CN=Nguyễn Văn A" 0x1001
leaf agency "/C=VN/O=UBND tỉnh Quảng Ngãi/CN=UBND xã Bình Sơn/emailAddress=binhson@quangngai.gov.vn" 0x1002
openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -gencrl -crlexts crl -out empty.crl \
  2>/dev/null
openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -revoke officer.pem -crl_reason keyCompromise \
  2>/dev/null
openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -revoke agency.pem -crl_reason superseded \
  2>/dev/null
openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -gencrl -crlexts crl -out revoked.crl \
  2>/dev/null
cp ca.pem "$here/data/crl_ca.pem"

seed() {  # target name < bytes
  mkdir -p "$here/corpus/$1"
  cat > "$here/corpus/$1/$2"
}

for cert in officer agency; do seed certificate_der "$cert.der" < "$cert.der"; done
openssl x509 -in ca.pem -outform DER | seed certificate_der ca.der
openssl crl -in empty.crl -outform DER | seed crl empty.der
openssl crl -in revoked.crl -outform DER | seed crl revoked.der
seed crl revoked.pem < revoked.crl
seed crl officer_certificate.der < officer.der

# --- the fixtures' messages, and what they carry -------------------------------------------
cd "$root"
/usr/bin/python3 - "$here/corpus" "$pki" <<'PY'
import base64, glob, gzip, json, os, sys
corpus, pki = sys.argv[1], sys.argv[2]
fixtures = "tests/sync/fixtures"

def seed(target, name, data):
    os.makedirs(os.path.join(corpus, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(corpus, target, name), "wb") as f:
        f.write(data)

def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

at = "2026-11-22T04:50:38Z"
entries = []
for path in sorted(glob.glob(f"{fixtures}/entries/*.json")) + sorted(glob.glob(f"{fixtures}/older/*.json")):
    kind = os.path.basename(path)[:-5]
    if kind.startswith("feed_"):
        continue
    body = json.load(open(path))
    kind = {"request_filed_merger": "request_filed", "request_filed_new_certificate": "request_filed",
            "request_filed_revocation": "request_filed"}.get(kind, kind)
    entries.append((os.path.basename(os.path.dirname(path)) + "_" + os.path.basename(path), kind, body))
    for member in ("certificate",):
        der = body.get(member, {}).get("der") if isinstance(body.get(member), dict) else None
        if der:
            seed("certificate_der", "fixture_" + os.path.basename(path)[:-5] + ".der", base64.b64decode(der))
    if kind == "report_submitted":
        seed("report_json", "report_submitted.json", compact(body["report"]))

pushes = []
for i, (name, kind, body) in enumerate(entries):
    push = {"lane": "urgent" if kind.startswith("alert") else "normal",
            "entries": [{"seq": i + 1, "uuid": f"00000000-0000-4000-8000-{i:012d}", "kind": kind,
                         "at": at, "body": body}],
            "backlog": 0, "agent_version": "0.1.0", "agent_time": at}
    text = compact(push)
    pushes.append(text)
    seed("push_entries", name, text)
whole = {"lane": "normal", "entries": [{"seq": i + 1, "uuid": f"u{i}", "kind": k, "at": at, "body": b}
                                       for i, (_, k, b) in enumerate(entries)],
         "backlog": 3, "agent_version": "0.1.0", "agent_time": at}
seed("push_entries", "all_kinds.json", compact(whole))

items = []
for path in sorted(glob.glob(f"{fixtures}/feed/*.json")) + [f"{fixtures}/older/feed_request_status.json"]:
    name = os.path.basename(path)[:-5].replace("feed_", "")
    kind = {"agency_identity": "agency", "request_status_rejected": "request_status"}.get(name, name)
    items.append((name, kind, json.load(open(path))))
for i, (name, kind, body) in enumerate(items):
    pull = {"items": [{"seq": i + 1, "kind": kind, "body": body}], "cursor": i + 1, "hub_time": at}
    seed("feed_items", name + ".json", compact(pull))
seed("feed_items", "all_kinds.json", compact({"items": [{"seq": i + 1, "kind": k, "body": b}
     for i, (_, k, b) in enumerate(items)], "cursor": len(items), "hub_time": at}))

# sync_messages: the first byte picks the decoder (tests/fuzz/sync_messages.cc).
csr = open(f"{pki}/officer.csr").read()
cert = open(f"{pki}/officer.pem").read()
ca = open(f"{pki}/ca.pem").read()
messages = [
    (0, "enroll_request", {"code": "AAAA-BBBB-CCCC", "csr": csr, "host": "pc-01.binhson", "agent_version": "0.1.0"}),
    (1, "enroll_response", {"agent_id": "a1", "agency": {"code": "G11.07.20", "name": "UBND xã Bình Sơn"},
                            "certificate": cert, "agent_ca": ca, "hub_time": at}),
    (2, "renew_request", {"csr": csr}),
    (3, "renew_response", {"certificate": cert, "hub_time": at}),
    (4, "push_request", json.loads(pushes[0])),
    (5, "push_response", {"acked": 41, "hub_time": at}),
    (6, "pull_request", {"cursor": 17}),
    (7, "pull_response", {"items": [{"seq": i + 1, "kind": k, "body": b} for i, (_, k, b) in enumerate(items)],
                          "cursor": 9, "hub_time": at}),
    (8, "digest_request", {"digest": "9f" * 32, "tokens": 3, "certificates": 5}),
    (9, "digest_response", {"match": True, "hub_time": at}),
    (10, "error_body", {"error": "sequence_gap", "message": "expected seq 42", "acked": 41, "hub_time": at}),
]
for selector, name, message in messages:
    seed("sync_messages", name + ".json", bytes([selector]) + compact(message).encode())

# gzip_body: pushes as an agent compresses them.
for i, text in enumerate(pushes[:6]):
    data = gzip.compress(text.encode(), mtime=0)
    seed("gzip_body", f"push_{i}.gz", data)

probe = {"module": "/usr/lib/softhsm/libsofthsm2.so", "outcome": "ok", "detail": "",
         "library_description": "SoftHSM", "library_manufacturer": "SoftHSM project", "slot_count": 2,
         "tokens": [{"slot_id": 1, "slot_description": "SoftHSM slot ID 0x1", "serial": "a1b2c3d4e5f60718",
                     "label": "Token Bình Sơn", "manufacturer": "SoftHSM project", "model": "SoftHSM v2",
                     "pin_count_low": False, "pin_final_try": False, "pin_locked": False,
                     "initialized": True, "user_pin_set": True, "error": "",
                     "certificates": [{"label": "officer", "id": "01a2",
                                       "der": base64.b64encode(open(f"{pki}/officer.der", "rb").read()).decode()}]}]}
seed("probe_report", "softhsm.json", compact(probe))
seed("probe_report", "failed.json", compact({"module": "/opt/x.so", "outcome": "timeout",
                                              "detail": "no answer in 20 s", "tokens": []}))

merger = json.load(open(f"{fixtures}/feed/merger.json"))
fingerprint = "ec64661fb7e60db07711afa21f92b89ce6c71614ae2b256220b79f08ae75f968"
certificate = {"fingerprint_sha256": fingerprint, "common_name": "Nguyễn Văn A",
               "subject": "CN=Nguyễn Văn A,O=UBND xã Bình Chương", "subscriber": "personal",
               "token_serial": "a1b2c3d4e5f60718", "not_after": "2026-12-23T09:00:00Z",
               "last_seen": at}
plan = {"plan": 1, "made_at": at, "merger": merger, "unused_days": 180, "surviving_unit": "G11.07.20",
        "summary": {"keep": 1, "change": 1, "revoke": 1, "review": 1},
        "items": [
            {"item": 1, "include": True, "action": "change", "why": "other_unit", "why_text": "…",
             "unit": "G11.07.05", "certificate": certificate,
             "request": {"kind": "change", "cert": fingerprint, "case": "organization",
                         "set": {"organization": "UBND xã Bình Sơn"}}},
            {"item": 2, "include": True, "action": "revoke", "why": "unused", "why_text": "…",
             "unit": "G11.07.06", "certificate": certificate,
             "request": {"kind": "revocation", "cert": fingerprint, "reason": "cessation_of_operation"}},
            {"item": 3, "include": True, "action": "keep", "why": "surviving_name", "why_text": "…",
             "unit": "G11.07.20", "certificate": certificate, "request": None},
            {"item": 4, "include": False, "action": "review", "why": "device", "why_text": "…",
             "unit": "G11.07.05", "certificate": certificate, "request": None}],
        "warnings": [], "unmatched": [], "expired": []}
seed("merger_plan", "plan.json", json.dumps(plan, ensure_ascii=False, indent=1))
by_hand = dict(plan, merger=dict(merger, id=""), items=plan["items"][:1])
seed("merger_plan", "plan_by_hand.json", json.dumps(by_hand, ensure_ascii=False, indent=1))

routes = [("/v1/status", "/v1/status"), ("/v1/alerts/{id}/ack", "/v1/alerts/42/ack?lang=en"),
          ("/v1/alerts/{id}/snooze", "/v1/alerts/7/snooze"), ("/v1/requests/{id}", "/v1/requests/"),
          ("/v1/requests/{id}/cancel", "/v1/requests/R-2026-0001/cancel?lang=vi"),
          ("/v1/reports/{year}/{rest...}", "/v1/reports/2026/entries/x"),
          ("/v1/reports/{year}/{rest...}", "/v1/reports/2026"),
          ("/v1/hello", "/v1/hello?nonce=" + "0123456789abcdef" * 2),
          ("/v1/certificates", "/v1/certificates?status=expiring&q=Nguy%E1%BB%85n")]
for i, (pattern, target) in enumerate(routes):
    seed("local_api", f"route_{i}.txt", pattern + "\n" + target)

# report_entries: the officer's figures as the report tests set them, one a line.
seed("report_entries", "figures.txt", "\n".join([
    "expected_new.individual=12", "expected_new.organization= 1 ", "expected_new.device=0",
    "expected_revocations=100000", "tokens_to_replace=3",
    "note.expected_new=Tuyển mới 12 công chức (quý 1=cao điểm)",
    "remarks.difficulties=Máy tính cấp xã cũ, token hay bị khóa PIN.",
    "remarks.proposals=Đề nghị Sở tập huấn"]))
seed("report_entries", "refused.txt", "\n".join([
    "expected_revocations", "=5", "expected_new.individual=-1", "expected_new.device=100001",
    "remarks.proposals=" + "x" * 4001, "unknown_field=1"]))
seed("report_entries", "windows_1258.txt", b"remarks.proposals=Ch\xf9ng t\xf4i\nnote.tokens_to_replace=")
PY
for file in config/agent.ini config/hub.ini; do seed config_ini "$(basename "$file")" < "$file"; done
echo "seeds: $(find "$here/corpus" -type f | wc -l) files in $here/corpus"
