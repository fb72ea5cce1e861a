"""Cached ``<select>`` options of reference data (issue 14).

A filter form's congress, term, group and delegation options are the same for
everyone with the same scope and change a few times a year, but every list page
read them again: two to four queries and ~15 ms of a province roster. Here they
are read once per scope, language and version and kept in the cache (Redis in
production) for ``TIMEOUT`` seconds.

The key is the options' own query (its SQL and parameters: the scope is in it)
plus the language and a version per model the options are read from. Saving or
deleting a row of such a model (``register``, connected at start-up) moves its
version on, so a new term is an option on the next page. A bulk ``update()``
sends no signal: such a change shows within ``TIMEOUT``.

Only what is displayed is cached. Validation still runs the field's queryset, so
a value outside the options (a link to a township's list) still validates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from hashlib import blake2b
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

TIMEOUT = 300

_registered: set[type[Model]] = set()
# Saves seen by this process: a user's remembered versions (``_versions``) older
# than the last save here are read again.
_saves = 0


def _version_key(model: type[Model]) -> str:
    return f"choices:v:{model._meta.label_lower}"


def _bump(sender, **kwargs) -> None:
    global _saves
    _saves += 1
    key = _version_key(sender)
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or evicted): any new value will do
        cache.set(key, 1, None)


def register(*models: type[Model]) -> None:
    """Options read from these models are cached; their saves invalidate."""
    for model in models:
        if model in _registered:
            continue
        _registered.add(model)
        uid = f"portal.web.choices:{model._meta.label_lower}"
        post_save.connect(_bump, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_bump, sender=model, dispatch_uid=uid + ":delete")


def user_key(user) -> str:
    """The cache's name for what ``user`` may see (``portal.scoping.user_cache_key``)."""
    from portal.scoping import user_cache_key

    return user_cache_key(user)


def _versions(user: Any, keys: list[str]) -> dict[str, Any]:
    """The models' versions: with ``user``, every registered model's versions in
    one read, kept on the user object for the rest of the request (a list page
    builds four option lists; one cache round trip instead of four)."""
    if user is None:
        return cache.get_many(keys)
    remembered = getattr(user, "_portal_choice_versions", None)
    if remembered is None or remembered[0] != _saves:
        every = [_version_key(m) for m in _registered]
        remembered = (_saves, cache.get_many(every))
        user._portal_choice_versions = remembered
    return remembered[1]


def cached(
    queryset: QuerySet,
    build: Callable[[QuerySet], Any],
    *,
    depends_on: Iterable[type[Model]] = (),
    extra: object = None,
    user: Any = None,
) -> Any:
    """``build(queryset)``, from the cache when the same query, the same
    language and the same versions of its models were built before.

    The query is known by its SQL and parameters, or, cheaper (compiling a
    scoped query costs milliseconds of its own), by ``user`` (their scope and
    id: ``user_key``) when the caller's queryset is determined by that user
    and ``extra`` alone. Per user, not per scope: a ``visible_to`` may add the
    user's own rows (a deputy's own groups). ``depends_on``: the other models
    the options read (joined or labelled), which must be registered as well;
    ``extra``: anything else ``build`` reads (the chosen value, say)."""
    models = [queryset.model, *depends_on]
    unregistered = [m for m in models if m not in _registered]
    if unregistered:
        raise LookupError(f"not registered for cached choices: {unregistered}")
    version_keys = [_version_key(m) for m in models]
    versions = _versions(user, version_keys)
    if user is not None:
        query: object = (queryset.model._meta.label_lower, user_key(user))
    else:
        try:
            query = queryset.query.sql_with_params()
        except EmptyResultSet:  # matches nothing: nothing to cache
            return build(queryset)
    digest = blake2b(
        repr(
            (
                query,
                extra,
                get_language(),
                [versions.get(k, 0) for k in version_keys],
            )
        ).encode(),
        digest_size=16,
    ).hexdigest()
    key = f"choices:{digest}"
    value = cache.get(key)
    if value is None:
        value = build(queryset)
        cache.set(key, value, TIMEOUT)
    return value
