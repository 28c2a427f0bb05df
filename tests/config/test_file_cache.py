"""config.file_cache: the embedded profile's cache is Django's file cache with plain pickles,
keys of any form, and file names remembered."""

import pickle
import time
import warnings

from django.core.cache.backends.filebased import FileBasedCache

from config import file_cache
from config.file_cache import FileCache


def caches(tmp_path):
    params = {"KEY_PREFIX": "site", "TIMEOUT": 300}
    return FileCache(str(tmp_path), params), FileBasedCache(str(tmp_path), params)


def test_values_are_kept_as_plain_pickles_after_their_expiry(tmp_path):
    ours, _ = caches(tmp_path)
    entry = {"content": "<p>星宇小区</p>".encode() * 100, "tags": {"notices": "token-1"}}
    ours.set("page-cache:response", entry, 60)
    (path,) = tmp_path.iterdir()
    assert path.suffix == ".pickle"
    with path.open("rb") as file:
        expiry = pickle.load(file)  # noqa: S301 (the file just written)
        assert pickle.load(file) == entry  # noqa: S301
    assert time.time() + 55 < expiry <= time.time() + 60
    assert ours.get("page-cache:response") == entry


def test_every_operation_of_a_cache(tmp_path):
    ours, _ = caches(tmp_path)
    ours.set("page-cache:tag:notices", "token-1")
    ours.set("page-cache:tag:directory", "token-2")
    assert ours.get_many(["page-cache:tag:notices", "page-cache:tag:directory", "none"]) == {
        "page-cache:tag:notices": "token-1",
        "page-cache:tag:directory": "token-2",
    }
    ours.delete("page-cache:tag:notices")
    assert ours.get("page-cache:tag:notices") is None
    assert ours.add("counter", 1) and not ours.add("counter", 5) and ours.incr("counter") == 2
    ours.set("short", "lived", 1)
    assert ours.touch("short", None) and ours.get("short") == "lived"  # no longer expires
    assert not ours.touch("none")
    ours.set("gone", "soon", -1)
    assert ours.get("gone", "expired") == "expired"
    ours.clear()
    assert list(tmp_path.iterdir()) == []


def test_djangos_files_and_ours_are_never_mistaken_for_each_other(tmp_path):
    """A directory written by Django's backend (compressed values) is not read as plain pickles,
    nor the other way round: each sees only its own files."""
    ours, djangos = caches(tmp_path)
    djangos.set("page-cache:tag:notices", "django's")
    ours.set("page-cache:tag:notices", "ours")
    assert djangos.get("page-cache:tag:notices") == "django's"
    assert ours.get("page-cache:tag:notices") == "ours"
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".djcache", ".pickle"]


def test_the_directory_is_counted_and_culled_every_hundred_writes(tmp_path, monkeypatch):
    """Django lists every file before each write; here once every CULL_EVERY writes, which
    still holds the directory near MAX_ENTRIES."""
    cache = FileCache(str(tmp_path), {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 500}})
    listings = []
    list_files = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listings.append(1) or list_files())
    for number in range(1000):
        cache.set(f"search:{number}", number)
    assert len(listings) == 1000 // file_cache.CULL_EVERY
    assert 500 / 2 < len(list(tmp_path.iterdir())) <= 500 + file_cache.CULL_EVERY


def test_keys_memcached_would_refuse_are_kept_without_warnings(tmp_path):
    ours, _ = caches(tmp_path)
    key = "小区 " * 100  # spaces, not ASCII, longer than memcached's 250 characters
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours.set(key, "kept")
        assert ours.get(key) == "kept"
