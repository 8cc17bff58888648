"""The client's address: REMOTE_ADDR, or X-Forwarded-For when the deployment trusts its proxies.

Each proxy appends the address it received the request from to X-Forwarded-For, so with N
trusted proxies in front of the app the client's address is the N-th entry from the right; the
entries left of it are whatever the client chose to send, and are never read. With no trusted
proxy (the default) the header is ignored: anyone could write any address into it."""

from collections.abc import Mapping


def client_address(meta: Mapping[str, str], trusted_proxies: int) -> str:
    """The address a request came from, given request.META and the number of trusted proxies."""
    remote = meta.get("REMOTE_ADDR") or ""
    if trusted_proxies <= 0:
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < trusted_proxies:
        # Fewer hops than proxies: the request did not come through all of them.
        return remote
    return forwarded[-trusted_proxies]
