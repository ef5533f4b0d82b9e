#!/usr/bin/env python3
"""A separate OS process using redis-py's Lock, driven by test_lock_processes.py.

    lock_worker.py PORT PROTOCOL contend NAME ROUNDS
        Wait for the key "go", then ROUNDS times: blocking-acquire lock NAME, and inside
        the critical section check that nobody else is inside (INCR "inside" must be 1),
        log "<pid>:<round>:enter;" / ":exit;" to the string "log" (APPEND), do a
        deliberately non-atomic read-modify-write of "counter" (GET, sleep, SET), release.
        Violations are APPENDed to "violations". Only string commands and the Lock's
        SET NX PX / Lua scripts are used, so the test needs no other feature area.
    lock_worker.py PORT PROTOCOL hold NAME TIMEOUT SECONDS
        Acquire NAME with TIMEOUT, print "acquired", sleep SECONDS, release: print
        "released", or "not-owned" if the lock expired and someone else holds it.
    lock_worker.py PORT PROTOCOL extend NAME
        Acquire NAME with timeout 1 s, print "acquired"; at 0.5 s extend it by 5 s, print
        "extended"; at 2 s (past the original expiry) reacquire (TTL back to 1 s), print
        "reacquired"; at 2.3 s release, print "released".

Each line is flushed at once: the test reads them as they come.
"""
from __future__ import annotations

import os
import sys
import time

import redis
from redis.exceptions import LockNotOwnedError


def say(word: str) -> None:
    print(word, flush=True)


def contend(r: redis.Redis, name: str, rounds: int) -> None:
    deadline = time.monotonic() + 30
    while not r.exists("go"):
        if time.monotonic() > deadline:
            raise SystemExit("never got the go signal")
        time.sleep(0.005)
    pid = os.getpid()
    for i in range(rounds):
        with r.lock(name, timeout=10, sleep=0.002, blocking_timeout=30):
            if r.incr("inside") != 1:
                r.append("violations", f"{pid}:{i}: someone else was inside;")
            r.append("log", f"{pid}:{i}:enter;")
            value = int(r.get("counter") or 0)
            time.sleep(0.002)
            r.set("counter", value + 1)
            r.append("log", f"{pid}:{i}:exit;")
            r.decr("inside")
    say("done")


def hold(r: redis.Redis, name: str, timeout: float, seconds: float) -> None:
    lock = r.lock(name, timeout=timeout)
    if not lock.acquire(blocking=False):
        raise SystemExit("could not acquire")
    say("acquired")
    time.sleep(seconds)
    try:
        lock.release()
        say("released")
    except LockNotOwnedError:
        say("not-owned")


def extend(r: redis.Redis, name: str) -> None:
    lock = r.lock(name, timeout=1)
    if not lock.acquire(blocking=False):
        raise SystemExit("could not acquire")
    start = time.monotonic()
    say("acquired")
    time.sleep(0.5)
    lock.extend(5)
    say("extended")
    time.sleep(max(0.0, 2.0 - (time.monotonic() - start)))
    lock.reacquire()
    say("reacquired")
    time.sleep(0.3)
    lock.release()
    say("released")


def main(argv: list[str]) -> None:
    port, protocol, mode, name = int(argv[1]), int(argv[2]), argv[3], argv[4]
    r = redis.Redis(host="127.0.0.1", port=port, protocol=protocol)
    if mode == "contend":
        contend(r, name, int(argv[5]))
    elif mode == "hold":
        hold(r, name, float(argv[5]), float(argv[6]))
    elif mode == "extend":
        extend(r, name)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv)
