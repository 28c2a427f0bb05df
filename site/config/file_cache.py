"""The cache backend of the embedded profile (no REDIS_URL): Django's file cache, without the
per-key work that was most of the time of a page served from the page cache.

A cached response is checked against the tokens of the tags it shows (core.page_cache): a
community page has nine, each a file. Reading one, Django first checks the key for memcached's
limits (character by character, in Python: a file name has no such limits) and hashes it to
its file name; both took longer than opening and reading the file. Here keys are not checked
for memcached and each key's file name is remembered per process (bounded). What is stored,
where and how, is Django's: the same files, readable by an unmodified FileBasedCache."""

import functools
import os
from hashlib import md5

from django.core.cache.backends.filebased import FileBasedCache

FILE_NAMES = 16384


@functools.lru_cache(maxsize=FILE_NAMES)
def _file_name(directory: str, key: str, suffix: str) -> str:
    return os.path.join(directory, md5(key.encode(), usedforsecurity=False).hexdigest() + suffix)


class FileCache(FileBasedCache):
    def validate_key(self, key) -> None:
        """Any key is a valid file name once hashed (memcached's limits are not ours)."""

    def _key_to_file(self, key, version=None) -> str:
        return _file_name(self._dir, self.make_key(key, version), self.cache_suffix)
