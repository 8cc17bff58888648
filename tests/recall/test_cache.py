"""Our Redis cache backend: Django's, with one redis client per server and counters in one
round trip."""

from django.core.cache import cache


def test_the_redis_client_is_built_once_and_shared():
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client(write=False) is client  # one server: reads go there too
    cache.set("shared-client", 5)
    assert cache.get("shared-client") == 5


def test_counters_start_at_one_expire_from_their_first_count_and_read_back_as_ints():
    cache.delete_many(["count-a", "count-b"])
    assert cache.incr_all({"count-a": 60, "count-b": 3600}) == [1, 1]
    raw = cache._cache.get_client(write=True)
    assert 55 <= raw.ttl(cache.make_key("count-a")) <= 60
    assert 3590 <= raw.ttl(cache.make_key("count-b")) <= 3600
    raw.expire(cache.make_key("count-a"), 30)
    assert cache.incr_all({"count-a": 60, "count-b": 3600}) == [2, 2]
    assert raw.ttl(cache.make_key("count-a")) <= 30  # a later count keeps the first expiry
    assert (cache.get("count-a"), cache.incr("count-b")) == (2, 3)  # Django's own view of them
