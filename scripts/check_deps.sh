#!/usr/bin/env bash
# Checks the module dependency direction (docs/architecture.md): each module may include
# only its own headers and those of the modules below it. Prints every violation; exit 1 if any.
#   scripts/check_deps.sh [SOURCE_ROOT]
set -uo pipefail
cd "${1:-$(dirname "$0")/..}"

# platform/ is the seam to the operating system (platform/*.h); every module above core may use it.
declare -A allowed=(
  [core]="core"
  [platform]="core platform"
  [store]="core platform store"
  [pkcs11]="core platform pkcs11"
  [sync]="core platform sync"
  [print]="core platform store print"
  [agent]="core platform store pkcs11 sync print agent"
  [hub]="core platform store sync print hub"
  [tray]="core tray"
)

status=0
for module in "${!allowed[@]}"; do
  [ -d "$module" ] || continue
  while IFS= read -r hit; do
    file=${hit%%:*}
    included=$(sed -E 's/.*#include "([a-z0-9_]+)\/.*/\1/' <<<"$hit")
    if [[ " ${allowed[$module]} " != *" $included "* ]]; then
      echo "dependency violation: $file includes $included/ (module $module may use: ${allowed[$module]})"
      status=1
    fi
  done < <(grep -rnE '^#include "[a-z0-9_]+/' "$module" --include='*.h' --include='*.cc' --include='*.c' |
           sed -E 's/^([^:]+):[0-9]+:/\1:/')
done
[ $status -eq 0 ] && echo "module dependencies point one way"
exit $status
