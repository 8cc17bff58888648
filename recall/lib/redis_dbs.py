"""The Redis databases of the local Redis server, one for each of its users, named in one place.

Two users of one Redis database share its cache, its Celery queues and its heartbeats (and a
test run empties its database when it starts), so a benchmark must never run on the database
of the development server or of the tests, nor two benchmarks on one. Add a line here for a
new one; tests/recall/test_deployments.py checks that no two share a number."""

REDIS_DBS: dict[str, int] = {
    "dev": 0,  # make run, and the default REDIS_URL
    # 1: free, e.g. for another checkout working beside this one (REDIS_URL=.../1)
    "tests-2": 2,  # make test's second pytest worker (recall/settings_test.py)
    "bench-registrar": 3,
    # 16 databases by default: these two run no Celery worker (their work is in-process).
    "bench-calibration": 4,
    "bench-statewide": 5,
    "bench-scans": 6,
    "bench-peer": 7,
    "bench-febrl": 8,
    "bench-import": 9,
    "bench-validate": 10,
    "bench-throughput": 11,
    "bench-entry": 12,
    "bench-load": 13,
    "bench-dashboard": 14,
    "tests": 15,  # recall/settings_test.py: pytest alone, or make test's first worker
}

LOCAL_REDIS = "redis://127.0.0.1:6379"


def redis_url(purpose: str, server: str = LOCAL_REDIS) -> str:
    """The URL of the Redis database kept for `purpose` (a key of REDIS_DBS)."""
    return f"{server}/{REDIS_DBS[purpose]}"
