"""Results cached under the stamps of the data they were computed from.

``cache`` is Flask-Caching: Redis in production (shared by every web process), an in-process
cache on the embedded default. Entries are never invalidated by hand: a write gives the
municipality a new stamp (``stamps``), the next read asks for a key that does not exist yet,
computes and stores it; old entries expire. ``per_municipality`` is the one helper the pages use.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from flask import Flask
from flask_caching import Cache

from . import stamps

cache = Cache()

DEFAULT_TIMEOUT = 7 * 24 * 3600


def init_app(app: Flask) -> None:
    config = {"CACHE_DEFAULT_TIMEOUT": DEFAULT_TIMEOUT, "CACHE_KEY_PREFIX": "kvsp:cache:"}
    redis_url = app.config.get("CACHE_REDIS_URL", app.config.get("REDIS_URL"))
    if app.config.get("CACHE_TYPE"):
        config["CACHE_TYPE"] = app.config["CACHE_TYPE"]
    elif redis_url:
        config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url)
    else:
        config.update(CACHE_TYPE="SimpleCache", CACHE_THRESHOLD=50_000)
    for key, value in config.items():
        app.config.setdefault(key, value)
    cache.init_app(app)
    app.add_template_global(cached_fragment)


def per_municipality(namespace: str, municipality_ids: Iterable[int], compute: Callable[[list[int]], dict],
                     *, national: bool = False, holds: Callable[[object], bool] | None = None) -> dict[int, object]:
    """``{id: value}`` for every municipality, each value cached under ``namespace`` and the
    municipality's stamp (and the national stamp when ``national``); ``compute(missing_ids)``
    returns ``{id: value}`` for those not cached, in one call (set-wise), and they are stored.

    ``holds(value)`` (optional) says whether a cached value still holds (a judgement valid until a
    moment): one that no longer does is computed again like a missing one.

    A municipality without a stamp yet is computed and not stored (its key could not change)."""
    ids = sorted({int(i) for i in municipality_ids})
    wanted = [stamps.municipality_key(i) for i in ids] + ([stamps.NATIONAL] if national else [])
    current = stamps.read(wanted)
    suffix = f":{current.get(stamps.NATIONAL, '0')}" if national else ""
    keys = {i: f"{namespace}:{i}:{current[stamps.municipality_key(i)]}{suffix}"
            for i in ids if stamps.municipality_key(i) in current}
    found = {}
    if keys:
        values = cache.get_many(*keys.values())
        found = {i: v for i, v in zip(keys, values) if v is not None and (holds is None or holds(v))}
    missing = [i for i in ids if i not in found]
    if missing:
        computed = compute(missing)
        storable = {keys[i]: computed[i] for i in missing if i in keys and i in computed}
        if storable:
            cache.set_many(storable)
        found.update(computed)
    return found


def version_of(stamp_keys: Iterable[str], optional: Iterable[str] = ()) -> str | None:
    """One digest of the current stamps of ``stamp_keys`` (and of ``optional``), read in one query: it
    changes when any of their data changes. None when one of ``stamp_keys`` has no stamp yet; an
    ``optional`` key never written (a shared stamp before its first write) reads "none", a value like
    any other."""
    wanted, extra = sorted(set(stamp_keys)), sorted(set(optional) - set(stamp_keys))
    current = stamps.read(wanted + extra)
    if any(k not in current for k in wanted):
        return None
    return hashlib.sha256("|".join(f"{k}={current.get(k, 'none')}" for k in wanted + extra).encode()
                          ).hexdigest()[:32]


def cached(namespace: str, stamp_keys: Iterable[str], compute: Callable[[], object]) -> object:
    """One value computed from the data behind ``stamp_keys`` (``stamps.municipality_key(id)``,
    ``stamps.NATIONAL``), cached under ``namespace`` and those keys' current stamps. Computed and
    not stored when one of them has no stamp yet."""
    digest = version_of(stamp_keys)
    if digest is None:
        return compute()
    key = f"{namespace}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value


def cached_fragment(name: str, caller, vary: object = "") -> str:
    """``{% call cached_fragment("plan") %}...{% endcall %}`` in a municipality's page: the block is
    rendered once per municipality stamp, national stamp, language and day, then served from the
    cache. Only for blocks that show that municipality's data: never a form or a token; a block
    that depends on who reads names it in ``vary`` (e.g. the person's id)."""
    from flask import g, request
    from flask_babel import get_locale
    from markupsafe import Markup

    from ..timeutil import local_today

    municipality = getattr(g, "municipality", None)
    if municipality is None:
        return caller()
    namespace = f"fragment:{request.endpoint}:{name}:{vary}:{get_locale()}:{local_today().isoformat()}"
    return Markup(cached(namespace, [stamps.municipality_key(municipality.id), stamps.NATIONAL],
                         lambda: str(caller())))
