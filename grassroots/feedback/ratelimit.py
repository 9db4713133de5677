"""Per-address limits of the public pages, kept in Django's cache (the logins have their own,
django-axes). A fixed window: the first hit opens it for `seconds`; a deployment with several
processes needs a shared cache (Redis, Memcached or the database cache) for the count to hold
across them."""

from __future__ import annotations

from django.core.cache import cache

from . import conf


def client_address(request) -> str:
    """The address the limits count. Behind a trusted proxy the header may be a list
    ("client, proxy1, …"): the last entry is the one our proxy appended; the entries before it
    came from the client and may be spoofed to dodge the limit."""
    header = conf.client_ip_header()
    value = request.META.get(header) or request.META.get("REMOTE_ADDR") or ""
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    return entries[-1][:64] if entries else "unknown"


def _key(scope: str, address: str) -> str:
    return f"feedback-rate:{scope}:{address}"


def used(scope: str, address: str) -> int:
    return int(cache.get(_key(scope, address), 0))


def exceeded(scope: str, address: str, limit: int) -> bool:
    return used(scope, address) >= limit


def hit(scope: str, address: str, seconds: int) -> int:
    """Count one more hit of `address` on `scope`; the count in the window."""
    key = _key(scope, address)
    if cache.add(key, 1, timeout=seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return 1
