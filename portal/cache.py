"""The Redis cache backend, with one client object per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object
for every cache operation (``self._client(connection_pool=pool)``). Building
one fills its table of ~250 response callbacks: 0.2-0.4 ms of Python each time
on this machine, and a list page makes about ten cache calls (filter options,
versions, capped counts, the session), issue 14, docs/performance.md rule 15.
``redis.Redis`` is thread-safe (redis-py docs: "Redis client instances can
safely be shared between threads"; the pool hands each command a connection,
and re-opens its connections after a fork), so one object per pool serves every
call of the process. Everything else is Django's backend unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
