"""Redis behind a real Sentinel: a Redis and a Sentinel watching it, both the test's own; a Celery
worker, the results, Django's cache and /healthz's client all reach the master through the
Sentinel with REDIS_URL=sentinel://... and REDIS_SENTINEL_MASTER."""

import subprocess
import sys

import pytest
import redis

from tests.faults.conftest import free_port, say, spawn, start_worker, wait_for

pytestmark = pytest.mark.faults


@pytest.fixture
def sentinel(private_redis, tmp_path):
    """A Sentinel (redis-server --sentinel) watching the private Redis as master "recall"."""
    port = free_port()
    config = tmp_path / "sentinel.conf"  # Sentinel rewrites its configuration: a file of its own
    config.write_text(
        f"port {port}\nbind 127.0.0.1\ndir {tmp_path}\n"
        f"sentinel monitor recall 127.0.0.1 {private_redis['port']} 1\n"
    )
    proc = subprocess.Popen(["redis-server", str(config), "--sentinel"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    client = redis.Redis(port=port, decode_responses=True)

    def knows_master() -> bool:
        try:
            return client.sentinel_get_master_addr_by_name("recall") is not None
        except redis.RedisError:
            return False

    try:
        wait_for(knows_master, 20, "the Sentinel")
        yield f"sentinel://127.0.0.1:{port}/0"
    finally:
        proc.kill()
        proc.wait(10)


CHECK = """
import django; django.setup()
from django.core.cache import cache
from recall.celery import app
from recall.health import check_redis, redis_client
cache.set("sentinel-check", "cached", 60)
assert cache.get("sentinel-check") == "cached"
assert check_redis(redis_client()) == {"up": True}
print("ping", app.send_task("recall.tasks.ping", args=[41]).get(timeout=30))
"""


def test_broker_results_and_cache_through_a_sentinel(sentinel, private_redis, processes, tmp_path):
    env = {"REDIS_URL": sentinel, "REDIS_SENTINEL_MASTER": "recall"}
    say(f"a Redis (port {private_redis['port']}) and a Sentinel watching it as 'recall'; "
        f"REDIS_URL={sentinel}")  # fmt: skip
    processes.append(start_worker(tmp_path / "worker.log", "sentinel", **env))
    log = tmp_path / "check.log"
    proc = spawn([sys.executable, "-c", CHECK], log, **env)
    assert proc.wait(60) == 0, log.read_text()[-3000:]
    assert "ping 42" in log.read_text()
    master = redis.Redis(port=private_redis["port"])
    cached = list(master.scan_iter(match="*sentinel-check*"))
    assert len(cached) == 1, cached  # in the master the Sentinel named
    assert list(master.scan_iter(match="recall:heartbeat:worker:*"))  # the worker's heartbeat
    assert "transport:   sentinel://" in (tmp_path / "worker.log").read_text()
    say("a worker took a task through the Sentinel and its result came back (41 + 1 = 42); the "
        "cache's entry and the health check reached the master")  # fmt: skip
