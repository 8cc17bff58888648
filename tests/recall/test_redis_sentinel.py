"""Redis behind Sentinel: REDIS_URL in Celery's sentinel:// form and REDIS_SENTINEL_MASTER, read
into the broker's, the results' and the cache's settings (a real Sentinel is started in
tests/faults/test_redis_sentinel.py)."""

import json
import os
import subprocess
import sys

import pytest
from redis.sentinel import SentinelConnectionPool

from recall.lib.env import EnvError, env_redis_sentinel
from recall.lib.redis_sentinel import (
    SentinelConfig,
    SentinelMasterPool,
    SentinelUrlError,
    parse_sentinel_url,
)
from tests.recall.test_settings import ROOT, run_check

THREE = "sentinel://10.0.0.1:26379;sentinel://10.0.0.2:26380;sentinel://:s%40cret@10.0.0.3/2"


def test_a_sentinel_url_names_every_sentinel_the_database_and_the_password():
    assert parse_sentinel_url(THREE, "recall") == SentinelConfig(
        sentinels=(("10.0.0.1", 26379), ("10.0.0.2", 26380), ("10.0.0.3", 26379)),
        master="recall", db=2, password="s@cret",
    )  # fmt: skip
    assert parse_sentinel_url("sentinel://h", "m") == SentinelConfig((("h", 26379),), "m", 0, None)


@pytest.mark.parametrize(
    ("url", "master", "message"),
    [
        ("sentinel://h:26379", "", "needs the master's name (REDIS_SENTINEL_MASTER)"),
        ("sentinel://h:26379;redis://h:6379", "m", "each part must be sentinel://host:port"),
        ("sentinel://h:26379/0;sentinel://g:26379/1", "m", "different databases: [0, 1]"),
        ("sentinel://h:26379/zero", "m", "the database must be a number, got 'zero'"),
        ("sentinel://h:port", "m", "'sentinel://h:port'"),
        ("sentinel://:26379", "m", "names no host"),
    ],
)
def test_a_bad_sentinel_url_is_refused_naming_the_part(url, master, message):
    with pytest.raises(SentinelUrlError) as refused:
        parse_sentinel_url(url, master)
    assert message in str(refused.value)


def test_the_master_name_goes_with_a_sentinel_url_only():
    assert env_redis_sentinel("REDIS_URL", "REDIS_SENTINEL_MASTER", "redis://h:6379/0", {}) is None
    with pytest.raises(EnvError, match="REDIS_SENTINEL_MASTER is set, but REDIS_URL is no"):
        env_redis_sentinel("REDIS_URL", "REDIS_SENTINEL_MASTER", "redis://h:6379/0",
                           {"REDIS_SENTINEL_MASTER": "m"})  # fmt: skip
    with pytest.raises(EnvError, match="REDIS_SENTINEL_MASTER must name the master"):
        env_redis_sentinel("REDIS_URL", "REDIS_SENTINEL_MASTER", THREE, {})


def _settings(**env: str) -> dict:
    """The settings a process started with `env` reads."""
    unset = ("REDIS_URL", "REDIS_SENTINEL_MASTER", "DJANGO_SETTINGS_MODULE")
    base = {k: v for k, v in os.environ.items() if k not in unset}
    base.update(DEBUG="true", **env)
    code = (
        "import json; from recall import settings as s; print(json.dumps({"
        "'broker': s.CELERY_BROKER_URL, 'backend': s.CELERY_RESULT_BACKEND,"
        "'broker_options': s.CELERY_BROKER_TRANSPORT_OPTIONS,"
        "'backend_options': getattr(s, 'CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS', None),"
        "'cache': s.CACHES['default']}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True,
                            text=True, timeout=60, check=True)  # fmt: skip
    return json.loads(result.stdout)


def test_sentinel_settings_for_the_broker_the_results_and_the_cache():
    read = _settings(REDIS_URL=THREE, REDIS_SENTINEL_MASTER="recall")
    assert read["broker"] == read["backend"] == THREE  # Celery reads sentinel:// itself
    assert read["broker_options"]["master_name"] == "recall"
    assert read["broker_options"]["socket_connect_timeout"] == 1  # kept
    assert read["backend_options"] == {"master_name": "recall"}
    assert read["cache"]["LOCATION"] == [THREE]  # one location, not three servers
    assert read["cache"]["OPTIONS"]["pool_class"] == "recall.lib.redis_sentinel.SentinelMasterPool"
    assert read["cache"]["OPTIONS"]["sentinel_master"] == "recall"


def test_without_sentinel_the_settings_are_as_before():
    read = _settings(REDIS_URL="redis://127.0.0.1:6379/3")
    assert read["broker"] == read["backend"] == read["cache"]["LOCATION"]
    assert read["broker"] == "redis://127.0.0.1:6379/3"
    assert "master_name" not in read["broker_options"]
    assert read["backend_options"] is None
    assert "pool_class" not in read["cache"]["OPTIONS"]


def test_a_sentinel_url_without_its_master_stops_startup_with_one_line():
    result = run_check(DEBUG="true", REDIS_URL=THREE)
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "recall: configuration error: REDIS_URL is a sentinel:// URL: REDIS_SENTINEL_MASTER "
        "must name the master"
    )


def test_the_cache_pool_asks_the_sentinels_for_the_master():
    """Made without connecting: the pool asks the Sentinels when its first connection is made."""
    pool = SentinelMasterPool.from_url(THREE, sentinel_master="recall", socket_timeout=2)
    assert isinstance(pool, SentinelConnectionPool)
    assert pool.service_name == "recall"
    assert pool.connection_kwargs["db"] == 2
    assert pool.connection_kwargs["password"] == "s@cret"
    assert [(s.connection_pool.connection_kwargs["host"], s.connection_pool.connection_kwargs[
        "port"]) for s in pool.sentinel_manager.sentinels] == [
        ("10.0.0.1", 26379), ("10.0.0.2", 26380), ("10.0.0.3", 26379)]  # fmt: skip
