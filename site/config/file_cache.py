"""The cache backend of the embedded profile (no REDIS_URL): Django's file cache, without the
per-key work that was most of the time of a page served from the page cache.

A cached response is checked against the tokens of the tags it shows (core.page_cache): a
community page has nine, each a file. Reading one, Django first checks the key for memcached's
limits (character by character, in Python: a file name has no such limits) and hashes it to
its file name; both took longer than opening and reading the file. Then it inflates the value
with zlib: 50 µs of every cached community page, to save disk space on a few hundred small
files that the operating system keeps in memory anyway. Here keys are not checked for
memcached, each key's file name is remembered per process (bounded), and values are stored as
plain pickles. Django also lists the whole directory before every write, to cull it when it
holds MAX_ENTRIES files: with the page cache on, each search for new words stores its page,
and with 9,000 files the listing made such a search take three times as long; here the files
are counted every CULL_EVERY writes of a process, so the directory may hold up to that many
files per process more than MAX_ENTRIES. The rest (one file per key, the expiry first, atomic
replacement, which files are culled) is Django's. The files end in `.pickle`, not Django's
`.djcache`, so that neither backend ever reads the other's: a directory left by one is
ignored, and culled, by the other."""

import functools
import itertools
import os
import pickle
from hashlib import md5

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

FILE_NAMES = 16384
CULL_EVERY = 100
_writes = itertools.count(1)  # this process's, shared by its threads' cache instances


@functools.lru_cache(maxsize=FILE_NAMES)
def _file_name(directory: str, key: str, suffix: str) -> str:
    return os.path.join(directory, md5(key.encode(), usedforsecurity=False).hexdigest() + suffix)


class FileCache(FileBasedCache):
    cache_suffix = ".pickle"

    def validate_key(self, key) -> None:
        """Any key is a valid file name once hashed (memcached's limits are not ours)."""

    def _key_to_file(self, key, version=None) -> str:
        return _file_name(self._dir, self.make_key(key, version), self.cache_suffix)

    def _cull(self) -> None:
        if next(_writes) % CULL_EVERY == 0:
            super()._cull()

    def get(self, key, default=None, version=None):
        try:
            with open(self._key_to_file(key, version), "rb") as file:
                if not self._is_expired(file):
                    return pickle.load(file)  # noqa: S301 (our own files, as Django's)
        except FileNotFoundError:
            pass
        return default

    def _write_content(self, file, timeout, value) -> None:
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        try:
            with open(self._key_to_file(key, version), "r+b") as file:
                locks.lock(file, locks.LOCK_EX)
                try:
                    if self._is_expired(file):
                        return False
                    value = pickle.load(file)  # noqa: S301 (our own files, as Django's)
                    file.seek(0)
                    self._write_content(file, timeout, value)
                    file.truncate()
                    return True
                finally:
                    locks.unlock(file)
        except FileNotFoundError:
            return False
