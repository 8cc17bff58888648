"""Two deployments sharing one Redis database keep apart; Redis databases named in one place."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache

from recall.auth import permissions_cache_key
from recall.lib.redis_dbs import REDIS_DBS
from tests.conftest import ROOT
from tests.conftest import test_env as project_env

# Another deployment (its own database) caches, for a user with the same id as ours, the rights
# of an admin. Its database need not exist: only its cache is touched.
OTHER_DEPLOYMENT = """
import django
django.setup()
from django.core.cache import cache
from recall.auth import PERMISSIONS_CACHE_SECONDS, permissions_cache_key
cache.set(permissions_cache_key({user_id}), {{"voters.import_voterroll", "auth.change_user"}},
          PERMISSIONS_CACHE_SECONDS)
"""


@pytest.mark.django_db
def test_cached_permissions_are_not_seen_by_another_deployment_on_the_same_redis(volunteer):
    cache.clear()
    db = settings.DATABASES["default"]
    other = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/another_campaign"
    subprocess.run(
        [sys.executable, "-c", OTHER_DEPLOYMENT.format(user_id=volunteer.pk)],
        cwd=ROOT, env=project_env(DATABASE_URL=other, CACHE_KEY_PREFIX=""), check=True,
        capture_output=True,
    )  # fmt: skip
    volunteer.refresh_from_db()
    assert not volunteer.has_perm("voters.import_voterroll")
    assert not volunteer.has_perm("auth.change_user")
    assert volunteer.has_perm("petitions.add_line")  # its own rights, from its own database
    assert cache.get(permissions_cache_key(volunteer.pk)) is not None


def test_no_two_users_of_redis_share_a_database():
    numbers = list(REDIS_DBS.values())
    assert len(numbers) == len(set(numbers)), REDIS_DBS
    assert all(0 <= n <= 15 for n in numbers)  # Redis has databases 0 to 15 by default


def test_every_benchmark_keeps_to_a_redis_database_of_its_own():
    """No benchmark names a Redis URL of its own: each asks recall/lib/redis_dbs.py for its
    database, and says which it uses."""
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        text = path.read_text()
        assert "6379" not in text, path.name
        if not any(word in text for word in ("import django", "use_redis_db", "manage.py")):
            continue  # no Django, no app command, no Redis (bench_parsers: only the generator)
        name = path.stem.replace("_", "-")
        assert name in REDIS_DBS, path.name
        assert f'use_redis_db("{name}")' in text, path.name
