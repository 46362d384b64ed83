#!/usr/bin/env python3
"""Runs every test of a `ctest --show-only=json-v1` listing with libfaketime preloaded, two at a
time (as ctest -j2), each with its own clock starting at MOMENT; prints one line per test and
the output of those that fail. Used by scripts/test_dates.sh."""
import concurrent.futures
import datetime
import json
import os
import re
import subprocess
import sys
import time

listing, moment = sys.argv[1], sys.argv[2]
target = datetime.datetime.strptime(moment, "%Y-%m-%d %H:%M:%S %z").timestamp()
# -MT: the thread-safe libfaketime (the agent and the hub are multi-threaded).
LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"
if not os.path.exists(LIBFAKETIME):
    print(f"run_tests_at: {LIBFAKETIME} is missing (scripts/bootstrap.sh installs faketime)",
          file=sys.stderr)
    sys.exit(2)
tests = json.load(open(listing))["tests"]
if not tests:
    print("run_tests_at: no test is labelled 'dates'", file=sys.stderr)
    sys.exit(2)


def faked_env():
    env = dict(os.environ)
    env["LD_PRELOAD"] = LIBFAKETIME
    env["FAKETIME"] = f"{target - time.time():+.0f}"
    env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    return env


SHM = "/dev/shm"
OBJECT = re.compile(r"^(?:sem\.)?faketime_(?:sem|shm)_(\d+)$")


def sweep_leftovers():
    """Removes the semaphore and shared memory that libfaketime made for a process now gone.

    Each process it loads into makes /dev/shm/{sem.faketime_sem,faketime_shm}_<pid>, readable
    by its user only, and removes them at a clean exit; processes killed by a test and
    PostgreSQL's backends (which leave through _exit) leave them behind. With pid_max at 32768
    pids come round again, and a process of another user (cksctl run as `nobody`, PostgreSQL)
    given such a pid cannot open what it finds, so libfaketime ends it with exit code 1 (CI, 5
    December: `sem_name was /faketime_sem_12774, created locally: false`). Sweeping before each
    test leaves only what a running process owns."""
    try:
        names = os.listdir(SHM)
    except FileNotFoundError:
        return
    for name in names:
        found = OBJECT.match(name)
        if found and not os.path.exists(f"/proc/{found.group(1)}"):
            try:
                os.unlink(os.path.join(SHM, name))
            except FileNotFoundError:
                pass  # the other worker swept it first


sweep_leftovers()
# A clock that did not move would make every test below pass for nothing.
seen = int(subprocess.run(["date", "+%s"], env=faked_env(), capture_output=True, text=True,
                          check=True).stdout)
if abs(seen - target) > 60:
    print(f"run_tests_at: libfaketime did not move the clock to {moment}", file=sys.stderr)
    sys.exit(2)


def run(test):
    sweep_leftovers()
    # The clock is moved by a fixed offset, which every process the test starts inherits: they
    # all agree on the time, as they would on one PC. (The `faketime` wrapper shares a start
    # moment through POSIX semaphores named by its pid instead, and one left by a killed wrapper
    # makes a later wrapper with the same pid refuse to start.) Monotonic time is left alone so
    # that timeouts and polling keep their real lengths.
    env = faked_env()
    cwd = None
    for prop in test.get("properties", []):
        if prop["name"] == "ENVIRONMENT":
            for item in prop["value"]:
                key, _, value = item.partition("=")
                env[key] = value
        if prop["name"] == "WORKING_DIRECTORY":
            cwd = prop["value"]
    start = time.monotonic()
    try:
        done = subprocess.run(test["command"], env=env, cwd=cwd, capture_output=True, text=True,
                              timeout=600)
        code, output = done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired as timeout:
        code, output = -1, f"timed out after 600 s\n{timeout.stdout or ''}"
    return test["name"], code, output, time.monotonic() - start


failures = []
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    for name, code, output, took in pool.map(run, tests):
        print(f"{'ok    ' if code == 0 else 'FAILED'} {took:6.1f} s  {name}", flush=True)
        if code != 0:
            failures.append((name, output))
for name, output in failures:
    print(f"\n===== {name} =====\n{output[-6000:]}")
print(f"\nrun_tests_at: {len(tests) - len(failures)} of {len(tests)} tests passed at {moment}")
sys.exit(1 if failures else 0)
