"""What /healthz reports: the database, Redis, and the heartbeats of workers and scheduler."""

import contextlib
import socket
import threading
import time
from typing import Any

import redis
from django.conf import settings
from django.db import connection

from recall.db_router import read_source, replica_configured
from recall.lib import redis_sentinel

WORKER_KEY = "recall:heartbeat:worker:"
SCHEDULER_KEY = "recall:heartbeat:scheduler"


def redis_client() -> redis.Redis:
    # Short timeouts: a health check must answer quickly when Redis is down.
    return redis_sentinel.redis_client(
        settings.REDIS_URL, settings.REDIS_SENTINEL_MASTER,
        socket_connect_timeout=0.5, socket_timeout=0.5, decode_responses=True,
    )  # fmt: skip


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"up": False, "error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}
    return {"up": True}


def check_redis(client: redis.Redis) -> dict[str, Any]:
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"up": False, "error": str(exc)}
    return {"up": True}


def check_workers(client: redis.Redis, now: float) -> dict[str, Any]:
    try:
        keys = sorted(client.scan_iter(match=WORKER_KEY + "*", count=100))
        beats = client.mget(keys) if keys else []
        scheduler_beat = client.get(SCHEDULER_KEY)
    except redis.RedisError as exc:
        return {"up": False, "error": f"cannot read heartbeats: {exc}", "workers": []}
    stale = settings.WORKER_HEARTBEAT_STALE_AFTER
    workers = []
    for key, beat in zip(keys, beats, strict=True):
        if beat is None:
            continue
        age = now - float(beat)
        workers.append(
            {
                "name": key.removeprefix(WORKER_KEY),
                "last_heartbeat": _iso(float(beat)),
                "age_seconds": round(age, 1),
                "up": age <= stale,
            }
        )
    scheduler: dict[str, Any] = {"up": False, "last_heartbeat": None}
    if scheduler_beat is not None:
        age = now - float(scheduler_beat)
        scheduler = {
            "up": age <= 2 * stale,
            "last_heartbeat": _iso(float(scheduler_beat)),
            "age_seconds": round(age, 1),
        }
    return {"up": any(w["up"] for w in workers), "workers": workers, "scheduler": scheduler}


def health_report() -> tuple[bool, dict[str, Any]]:
    client = redis_client()
    report = {"database": check_database(), "redis": check_redis(client)}
    report["workers"] = (
        check_workers(client, time.time())
        if report["redis"]["up"]
        else {"up": False, "error": "redis is down", "workers": []}
    )
    ok = all(part["up"] for part in report.values())
    if replica_configured():
        # Shown, but never a reason for 503: without it the primary answers its reads.
        source = read_source()
        report["replica"] = {"up": not source.replica_down, "lag_seconds": source.lag_seconds}
    return ok, {"status": "ok" if ok else "degraded", **report}


def _iso(timestamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


class WorkerHeartbeat:
    """A daemon thread in each worker's main process that stamps its heartbeat into Redis."""

    def __init__(self, hostname: str | None = None) -> None:
        self.key = WORKER_KEY + (hostname or socket.gethostname())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="recall-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(redis.RedisError):
            redis_client().delete(self.key)

    def _run(self) -> None:
        client = redis_client()
        interval = settings.WORKER_HEARTBEAT_INTERVAL
        while not self._stop.is_set():
            # Redis down: /healthz says so; beat again when it is back.
            with contextlib.suppress(redis.RedisError):
                client.set(self.key, time.time(), ex=settings.WORKER_HEARTBEAT_STALE_AFTER * 2)
            self._stop.wait(interval)
