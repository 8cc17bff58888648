"""Permissions read once a minute per user, not twice a request: every hint and every poll of
the entry page checks them. A role change made in the app (the Users page, the admin site,
user_create_with_role) clears the user's entry at once; any other change shows within
PERMISSIONS_CACHE_SECONDS."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model

from recall.cache import forgiving_cache as cache  # Redis unreachable: read from the database

PERMISSIONS_CACHE_SECONDS = 60


def permissions_cache_key(user_id: int) -> str:
    # The cache's KEY_PREFIX names the deployment (settings.CACHES): a user id alone would
    # mix users across deployments sharing a Redis database.
    return f"perms:{user_id}"


def permissions_forget(user_id: int) -> None:
    cache.delete(permissions_cache_key(user_id))


class CachedPermissionsBackend(ModelBackend):
    """Django's ModelBackend with each active user's permission set kept in the shared cache."""

    def get_all_permissions(
        self, user_obj: User | AnonymousUser, obj: Model | None = None
    ) -> set[str]:
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            key = permissions_cache_key(user_obj.pk)
            cached = cache.get(key)
            if cached is None:
                cached = super().get_all_permissions(user_obj)  # sets user_obj._perm_cache
                cache.set(key, cached, PERMISSIONS_CACHE_SECONDS)
            # ModelBackend's own cache on the user object, not declared in django-stubs.
            user_obj._perm_cache = set(cached)  # type: ignore[attr-defined]
        return user_obj._perm_cache  # type: ignore[attr-defined]
