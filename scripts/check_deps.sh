#!/usr/bin/env bash
# Checks the module dependency direction (docs/architecture.md): each module may include
# only its own headers and those of the modules below it, and no other module's internal/
# ones. sync/ holds two modules: the protocol (sync/protocol, the messages and their codecs, on
# core only) and the agent's sync client (sync/client). Prints every violation; exit 1 if any.
#   scripts/check_deps.sh [SOURCE_ROOT]
set -uo pipefail
cd "${1:-$(dirname "$0")/..}"

# platform/ is the seam to the operating system (platform/*.h); every module above core may use it.
# common/ is the programs' shared support (the [log] section); agent and hub use it.
declare -A allowed=(
  [core]="core"
  [platform]="core platform"
  [store]="core platform sync/protocol store"
  [pkcs11]="core platform pkcs11"
  [sync/protocol]="core sync/protocol"
  [sync/client]="core platform sync/protocol sync/client"
  [print]="core platform store print"
  [common]="core platform common"
  [agent]="core platform common store pkcs11 sync/protocol sync/client print agent"
  [hub]="core platform common store sync/protocol sync/client print hub"
  [tray]="core tray"
)

# The module an include names: its first folder, or sync/<module>.
module_of() {
  case "$1" in
    sync/*) cut -d/ -f1-2 <<<"$1" ;;
    *) cut -d/ -f1 <<<"$1" ;;
  esac
}

status=0
for module in "${!allowed[@]}"; do
  [ -d "$module" ] || continue
  while IFS= read -r hit; do
    file=${hit%%:*}
    path=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$hit")
    included=$(module_of "$path")
    if [[ " ${allowed[$module]} " != *" $included "* ]]; then
      echo "dependency violation: $file includes $included/ (module $module may use: ${allowed[$module]})"
      status=1
    fi
  done < <(grep -rnE '^#include "[a-z0-9_]+/' "$module" --include='*.h' --include='*.cc' --include='*.c' |
           sed -E 's/^([^:]+):[0-9]+:/\1:/')
done
# A module's internal/ headers are its own: "X/internal/y.h" may be included only by files
# under X/ (tests may test them).
while IFS= read -r hit; do
  file=${hit%%:*}
  path=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$hit")
  owner=${path%%/internal/*}
  if [[ "$file" != "$owner"/* ]]; then
    echo "dependency violation: $file includes $path, internal to $owner/"
    status=1
  fi
done < <(grep -rnE '^#include "[a-z0-9_/]+/internal/' "${!allowed[@]}" --include='*.h' \
           --include='*.cc' --include='*.c' 2>/dev/null | sed -E 's/^([^:]+):[0-9]+:/\1:/')
# A sync/ file outside both modules would escape the check.
for file in $(find sync -maxdepth 1 -type f \( -name '*.h' -o -name '*.cc' \) 2>/dev/null); do
  echo "dependency violation: $file is in neither sync/protocol nor sync/client"
  status=1
done
[ $status -eq 0 ] && echo "module dependencies point one way"
exit $status
