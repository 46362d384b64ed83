#!/usr/bin/env bash
# Keeps the portable files portable (docs/architecture.md, "The platform seam"): a POSIX or Linux
# header or call may appear only in a folder named posix/ or linux/ (platform/posix/ above all,
# behind the platform/*.h seam). Prints every violation with its file and line; exit 1 if any.
#   scripts/check_platform_calls.sh [SOURCE_ROOT]
# Not checked:
#   tests/  drive the real binaries as a user would on the POSIX build: fork/forkpty, signals,
#           sockets and file modes are what they test (fault injection, a killed agent, 0600).
#   bench/  measures the Linux build (getrusage, the page cache) and is never shipped.
#   build*/ generated files.
set -uo pipefail
cd "${1:-$(dirname "$0")/..}"

headers='unistd\.h|sys/[a-z_/]+\.h|fcntl\.h|pwd\.h|grp\.h|signal\.h|csignal|dirent\.h|'
headers+='arpa/[a-z_]+\.h|netinet/[a-z_]+\.h|netdb\.h|poll\.h|spawn\.h|termios\.h|pty\.h|'
headers+='dlfcn\.h|pthread\.h|syslog\.h|systemd/[a-z_-]+\.h|linux/[a-z_]+\.h'
calls='gethostname|chmod|fchmod|chown|fchown|lchown|access|fork|vfork|execl|execlp|execle|execv|'
calls+='execvp|execvpe|waitpid|wait|kill|localtime_r|gmtime_r|getpwuid|getpwnam|getgrnam|getgrgid|'
calls+='geteuid|getuid|getpid|sigprocmask|pthread_sigmask|sigaction|posix_spawnp?|isatty|ioctl|'
calls+='mkstemp|mkdtemp|dlopen|dlsym|inet_pton|inet_ntop|sd_notify|sd_notifyf'

status=0
while IFS= read -r hit; do
  echo "platform call outside posix/ or linux/: $hit"
  status=1
done < <(
  find . \( -path './build*' -o -path ./tests -o -path ./bench -o -path ./.git \) -prune -o \
       \( -name '*.h' -o -name '*.cc' -o -name '*.c' -o -name '*.cpp' \) -type f -print |
    grep -vE '/(posix|linux)/' | sort |
    xargs -r grep -nHE \
      -e "^[[:space:]]*#[[:space:]]*include[[:space:]]*<($headers)>" \
      -e "(^|[^.>:A-Za-z0-9_])(::)?($calls)[[:space:]]*\(" \
      -e '/proc/' \
      -e '\bSIG(PIPE|KILL|CHLD|HUP|QUIT|TERM|USR1|USR2)\b' |
    grep -vE '^[^:]+:[0-9]+:[[:space:]]*//'  # a comment may name them
)
[ $status -eq 0 ] && echo "platform calls stay in posix/ and linux/ folders"
exit $status
