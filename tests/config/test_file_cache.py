"""config.file_cache: the embedded profile's cache is Django's file cache, read faster; the
files are the ones Django's own backend writes and reads."""

import warnings

from django.core.cache.backends.filebased import FileBasedCache

from config.file_cache import FileCache


def caches(tmp_path):
    params = {"KEY_PREFIX": "site", "TIMEOUT": 300}
    return FileCache(str(tmp_path), params), FileBasedCache(str(tmp_path), params)


def test_the_same_files_as_djangos_file_cache(tmp_path):
    ours, djangos = caches(tmp_path)
    ours.set("page-cache:tag:notices", "token-1")
    assert djangos.get("page-cache:tag:notices") == "token-1"
    djangos.set("page-cache:tag:directory", "token-2")
    assert ours.get_many(["page-cache:tag:notices", "page-cache:tag:directory", "none"]) == {
        "page-cache:tag:notices": "token-1",
        "page-cache:tag:directory": "token-2",
    }
    ours.delete("page-cache:tag:notices")
    assert djangos.get("page-cache:tag:notices") is None
    assert ours.add("counter", 1) and ours.incr("counter") == 2
    assert len(list(tmp_path.iterdir())) == 2


def test_keys_memcached_would_refuse_are_kept_without_warnings(tmp_path):
    ours, _ = caches(tmp_path)
    key = "小区 " * 100  # spaces, not ASCII, longer than memcached's 250 characters
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours.set(key, "kept")
        assert ours.get(key) == "kept"
