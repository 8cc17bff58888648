"""Plumbing for the fault tests: real processes (workers, a scheduler, a web server, a Redis and a
PostgreSQL of their own) that the tests start, kill and restart."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, test_env


def say(text: str) -> None:
    """What the test does and checks, printed for `make test-faults` (pytest -s)."""
    print(f"  faults: {text}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def spawn(args: list[str], log: Path, **env: str) -> subprocess.Popen:
    """A process of the project in a session of its own, so a test can kill its whole group."""
    with log.open("a") as out:
        return subprocess.Popen(
            args, cwd=ROOT, env=test_env(**env), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def kill_group(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    proc.wait(timeout=30)


def celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "recall", *args]


def start_worker(
    log: Path, name: str, *, concurrency: int = 2, inside: tuple[str, ...] = (), **env: str
) -> subprocess.Popen:
    """A prefork worker (two processes unless told) on the default queue; returns once it
    answers. `inside` runs it through a wrapper command (`ip netns exec NAME`)."""
    proc = spawn(
        [*inside, *celery("worker", "--queues", "default", "--concurrency", str(concurrency),
                          "--loglevel", "INFO", "--without-mingle", "--without-gossip",
                          "--hostname", f"{name}-{os.getpid()}@%h")],
        log, **env,
    )  # fmt: skip
    wait_for(lambda: "ready." in log.read_text() or proc.poll() is not None, 60, "the worker")
    if proc.poll() is not None:
        pytest.fail(f"worker exited:\n{log.read_text()}")
    return proc


@pytest.fixture
def processes():
    """Every process a test starts is killed at its end, whatever happened."""
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        kill_group(proc)


@pytest.fixture
def private_redis(tmp_path):
    """A Redis of the test's own (nothing on disk, like the machine's), to restart at will."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()
    holder = {}

    def start() -> None:
        holder["proc"] = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        import redis

        client = redis.Redis(port=port)
        wait_for(lambda: _pings(client), 10, "the private Redis")

    def stop() -> None:
        kill_group(holder["proc"])

    start()
    holder.update(url=f"redis://127.0.0.1:{port}/0", port=port, start=start, stop=stop)
    yield holder
    stop()


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False
