#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing and the demo need. Idempotent and
# quiet when everything is already there. Run as root (or with sudo).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  libpoco-dev libp11-dev libp11-kit-dev libssl-dev libsqlite3-dev libsystemd-dev
  libexpected-dev libgtest-dev libcpprest-dev zlib1g-dev libpq-dev
  # the hub's staff passwords (Argon2id)
  libsodium-dev
  # tests, demo and benchmarks: real tokens, the admin's tools, format check
  softhsm2 opensc openssl clang-format sqlite3 procps hyperfine
  # the tests that involve dates run again at the turn of the year (scripts/test_dates.sh)
  faketime
  # the hub's tests run its store on a throwaway PostgreSQL 15 too (/usr/lib/postgresql/15/bin);
  # util-linux has runuser, which starts it as the postgres user under root
  postgresql-15 util-linux
  # the systemd unit is checked offline
  systemd
  # cks-tray on Linux (GTK 3, AppIndicator, libnotify), tested under Xvfb with dbus and a
  # notification daemon; dbus-monitor observes the pop-up, imagemagick keeps a screenshot
  libgtk-3-dev libayatana-appindicator3-dev libnotify-dev
  xvfb xauth dbus dbus-x11 dunst imagemagick
  # the Windows tray is compiled with mingw-w64 and started under wine
  g++-mingw-w64-x86-64-posix wine wine64
  # e-mail alerts are tested against a local SMTP server with STARTTLS and AUTH
  python3 python3-aiosmtpd
  # the official request forms (Mẫu 01–06) as PDF: cairo + pango with an embedded font that has
  # every Vietnamese letter; poppler-utils reads them back in the tests (pdftotext, pdftoppm)
  libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils
  # the yearly reports as Excel workbooks (libxlsxwriter); the tests read them back (openpyxl)
  libxlsxwriter-dev python3-openpyxl
  # the province's console is tested in a real browser: headless Chromium through chromedriver
  chromium chromium-driver
  # the fuzz targets (tests/fuzz, the fuzz preset): clang 14 with libFuzzer and the sanitizers
  clang-14 libclang-rt-14-dev
  # the sync protocol's model is checked with Spin (tests/model/check.sh; pan is compiled by gcc)
  spin
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "bootstrap: these packages are missing: ${missing[*]}" >&2
  echo "bootstrap: run as root (sudo bash scripts/bootstrap.sh) to install them" >&2
  exit 1
fi
echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
