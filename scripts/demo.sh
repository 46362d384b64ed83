#!/usr/bin/env bash
# The demo: a fictional commune (UBND xã Bình Chương, Quảng Ngãi) with four SoftHSM tokens
# holding certificates from a test CA chain shaped like the government's, cks-agent keeping
# their inventory, and the province's cks-hub receiving it over mutual TLS. Sets up a fresh
# Debian 12 machine, builds, and prints what `cksctl certs` shows and what the province sees.
# Everything lives under build/demo; run it again to start afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
bin=$root/build/release/bin

demo=$root/build/demo
rm -rf "$demo"
mkdir -p "$demo/tokens" "$demo/pki/newcerts"
cd "$demo"
export SOFTHSM2_CONF=$demo/softhsm2.conf
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$demo" >"$SOFTHSM2_CONF"
module=/usr/lib/softhsm/libsofthsm2.so

# --- A test CA chain named like the real one (Ban Cơ yếu Chính phủ), with fresh keys.
pki=$demo/pki
touch "$pki/index.txt"
echo 1000 >"$pki/serial"
cat >"$pki/ca.cnf" <<CNF
[ ca ]
default_ca = demo
[ demo ]
dir = $pki
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
emailAddress = optional
organizationalUnitName = optional
organizationName = optional
localityName = optional
stateOrProvinceName = optional
countryName = optional
[ req ]
distinguished_name = dn
string_mask = utf8only
[ dn ]
[ root_ext ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ issuing_ext ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ person_ext ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = clientAuth, emailProtection
authorityKeyIdentifier = keyid
[ org_ext ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
CNF
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
when() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
key "$pki/root.key"
openssl req -new -x509 -config "$pki/ca.cnf" -utf8 -key "$pki/root.key" -days 7300 \
  -subj "/C=VN/O=Ban Cơ yếu Chính phủ/CN=RootCA chuyên dùng Chính phủ G2" \
  -extensions root_ext -out "$pki/root.pem"
key "$pki/issuing.key"
openssl req -new -config "$pki/ca.cnf" -utf8 -key "$pki/issuing.key" \
  -subj "/C=VN/O=Ban Cơ yếu Chính phủ/CN=CA phục vụ các cơ quan Nhà nước G2" -out "$pki/issuing.csr"
openssl ca -batch -config "$pki/ca.cnf" -utf8 -preserveDN -notext -cert "$pki/root.pem" \
  -keyfile "$pki/root.key" -in "$pki/issuing.csr" -extensions issuing_ext -days 3650 \
  -out "$pki/issuing.pem" 2>/dev/null

# issue NAME SUBJECT EXTENSIONS START END: a certificate signed by the issuing CA, as DER.
issue() {
  key "$pki/$1.key"
  openssl req -new -config "$pki/ca.cnf" -utf8 -key "$pki/$1.key" -subj "$2" -out "$pki/$1.csr"
  openssl ca -batch -config "$pki/ca.cnf" -utf8 -preserveDN -notext -cert "$pki/issuing.pem" \
    -keyfile "$pki/issuing.key" -in "$pki/$1.csr" -extensions "$3" \
    -startdate "$(when "$4")" -enddate "$(when "$5")" -out "$pki/$1.pem" 2>/dev/null
  openssl x509 -in "$pki/$1.pem" -outform DER -out "$pki/$1.der"
}
unit="/L=Quảng Ngãi/O=UBND tỉnh Quảng Ngãi/OU=UBND xã Bình Chương"
issue org "/C=VN/L=Quảng Ngãi/O=UBND TỈNH QUẢNG NGÃI/CN=UBND XÃ BÌNH CHƯƠNG" org_ext "-400 days" "+1425 days"
issue chairman "/emailAddress=nvan@binhchuong.quangngai.gov.vn/C=VN$unit/CN=Nguyễn Văn An" person_ext "-200 days" "+900 days"
issue officer "/emailAddress=ttbinh@binhchuong.quangngai.gov.vn/C=VN$unit/OU=Văn phòng - Thống kê/CN=Trần Thị Bình" person_ext "-1085 days" "+10 days"
issue former "/emailAddress=lvcuong@binhchuong.quangngai.gov.vn/C=VN$unit/CN=Lê Văn Cường" person_ext "-1115 days" "-20 days"

# --- The commune's tokens: the CA's enrolment writes each certificate onto its token.
# (The PINs here belong to this setup step only; cks-agent never asks for or uses a PIN.)
token() {
  softhsm2-util --init-token --free --label "$1" --so-pin 87654321 --pin 123456 >/dev/null
  pkcs11-tool --module "$module" --token-label "$1" --login --pin 123456 \
    --write-object "$pki/$2.der" --type cert --label "$3" --id 01 >/dev/null 2>&1
}
token "Văn thư" org "CTS UBND xa Binh Chuong"
token "Chủ tịch" chairman "CTS Nguyen Van An"
token "Công chức VP" officer "CTS Tran Thi Binh"
token "Phó Chủ tịch cũ" former "CTS Le Van Cuong"

# --- cks-agent on those tokens.
cat >"$demo/agent.ini" <<INI
[agent]
host_name = PC-VANTHU-BINHCHUONG
[pkcs11]
modules = $module
[store]
path = $demo/agent.db
[api]
port = 18737
secret_file = $demo/api.secret
[hub]
dir = $demo/agent-hub
proxy =
[log]
file = $demo/agent.log
syslog = false
console = false
INI
# --- The province's hub (SQLite store, its own CAs), and an enrolment code for the commune.
mkdir -p "$demo/hub"
cat >"$demo/hub/hub.ini" <<INI
[province]
name = Quảng Ngãi
kind = tỉnh
[server]
port = 18443
bind = 127.0.0.1
[tls]
dir = $demo/hub/tls
organization = Sở KH&CN tỉnh Quảng Ngãi (demo)
[store]
url = $demo/hub/hub.db
[console]
port = 18444
bind = 127.0.0.1
www = $root/hub/console/www
[log]
file = $demo/hub/hub.log
console = false
INI
# The hub and `admin server-ca` start together on purpose: whichever comes first makes the CAs
# and the other waits for them (a folder lock), as when an operator runs both at once.
"$bin/cks-hub" --config "$demo/hub/hub.ini" &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null || true' EXIT
"$bin/cks-hub" --config "$demo/hub/hub.ini" admin server-ca >"$demo/hub-ca.pem"
# Admin commands use the store the hub made: wait until the hub is serving.
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/18443) 2>/dev/null && break
  kill -0 $hub 2>/dev/null || { echo "demo: cks-hub stopped; see $demo/hub/hub.log" >&2; exit 1; }
  sleep 0.2
done
code=$("$bin/cks-hub" --config "$demo/hub/hub.ini" admin enroll-code --agency H21.09 \
  --name "UBND xã Bình Chương" --type commune --ttl 1h | tail -n 1)

"$bin/cks-agent" --config "$demo/agent.ini" &
agent=$!
trap 'kill $agent $hub 2>/dev/null; wait $agent $hub 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  "$bin/cksctl" --config "$demo/agent.ini" status >/dev/null 2>&1 && break
  sleep 0.2
done
"$bin/cksctl" --config "$demo/agent.ini" scan >/dev/null
echo "=== cksctl enroll (the commune's IT officer, with the code from the province) ==="
"$bin/cksctl" --config "$demo/agent.ini" enroll --hub https://127.0.0.1:18443 --code "$code" \
  --hub-ca "$demo/hub-ca.pem"
"$bin/cksctl" --config "$demo/agent.ini" sync

echo
echo "=== cksctl certs ==="
"$bin/cksctl" --config "$demo/agent.ini" certs
echo
echo "=== cksctl tokens ==="
"$bin/cksctl" --config "$demo/agent.ini" tokens
echo
echo "=== cksctl alerts (what needs doing: expiry, renewal deadline, PIN) ==="
"$bin/cksctl" --config "$demo/agent.ini" alerts

echo "=== cksctl status ==="
"$bin/cksctl" --config "$demo/agent.ini" status
echo
echo "=== at the province: cks-hub admin agents ==="
"$bin/cks-hub" --config "$demo/hub/hub.ini" admin agents
echo
echo "=== at the province: cks-hub admin inventory --agency H21.09 ==="
"$bin/cks-hub" --config "$demo/hub/hub.ini" admin inventory --agency H21.09

echo "=== at the province: cks-hub admin alerts (every agency's open alerts) ==="
"$bin/cks-hub" --config "$demo/hub/hub.ini" admin alerts

echo "=== at the province: cks-hub admin expiring --days 90 ==="
"$bin/cks-hub" --config "$demo/hub/hub.ini" admin expiring --days 90
# The province's web console: an admin account with a one-time password (changed at first login).
password=$("$bin/cks-hub" --config "$demo/hub/hub.ini" --lang en admin user add --name quantri \
  --role admin | sed -n 's/^One-time password: //p')
echo
echo "=== the province's web console (while cks-hub runs) ==="
echo "  $bin/cks-hub --config $demo/hub/hub.ini &"
echo "  then open https://127.0.0.1:18444/ and log in as quantri, one-time password $password"
echo "  (the browser must trust the hub's CA: $demo/hub-ca.pem)"
echo
echo "Demo files: $demo (agent.ini, agent.db, agent.log, hub/). Try:"
echo "  SOFTHSM2_CONF=$SOFTHSM2_CONF $bin/cks-agent --config $demo/agent.ini &"
echo "  $bin/cksctl --config $demo/agent.ini certs --expiring 30 --lang en"
