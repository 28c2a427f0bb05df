"""Chinese word segmentation for the site search, with jieba.

Neither SQLite's FTS5 tokenizer nor PostgreSQL's text search splits Chinese into words, so text
is indexed already cut into words joined by spaces, and a query is cut the same way. A query is
cut in jieba's precise mode (停水 → 停水); indexed text gets each word of that mode and every
dictionary word inside it (停水通知 → 停水 通知 停水通知; 松柏雅苑二期 → 松柏 雅苑 二期
松柏雅苑 松柏雅苑二期), so a query finds a longer word that contains it. This is jieba's search
mode without its limit to words of two and three characters.

The dictionary is jieba's own plus the place names of vocabulary.place_names(). It is loaded
once per process, on first use (about a second; jieba's cache file lives in VAR_DIR), or by
`warm()` before gunicorn forks its workers (deploy/gunicorn.conf.py), which then share it. The names
of an object being indexed are added before its text is cut, so it indexes right whatever this
process knew before; other processes hear of new names through a cache stamp, checked before
each query is cut, and then add what is missing."""

import functools
import logging
import os
import re
import threading
import uuid
from collections.abc import Iterable

import jieba
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from chinese_text import vocabulary

STAMP_KEY = "search:vocabulary-stamp"
MAX_QUERY_TERMS = 8
_WORD_CHARACTERS = re.compile(r"\w+")
_SINGLE_HAN = re.compile(r"[\u4e00-\u9fff]")

jieba.setLogLevel(logging.WARNING)  # it logs every dictionary load to stderr otherwise
logger = logging.getLogger(__name__)

_lock = threading.RLock()
_tokenizer: jieba.Tokenizer | None = None
_words: set[str] = set()
_stamp_seen: str | None = None
loads = 0
"""Dictionaries loaded by this process: 1 once anything was segmented (the tests check it)."""


def warm() -> None:
    """Load the dictionary now (in a process about to fork workers that will search)."""
    _loaded()


def index_text(*texts: str, names: Iterable[str] = ()) -> str:
    """`texts` cut for the index, words joined by spaces. `names` are the place names the texts
    mention (a community's own name, a notice's facility and roads): they become dictionary
    words first, so they are indexed as whole words."""
    _loaded()
    if names:
        add_names(names)
    return " ".join(filter(None, (_index_words(text) for text in texts if text)))


def query_terms(query: str) -> list[str]:
    """The words to look for: letters, digits and Chinese only (so nothing reaches the search
    backend's query syntax), lower case, without repeats. Single Chinese characters (的, 在,
    街 left over from an unknown name) are dropped when longer words remain: every term must
    match, and a lone character rarely is an indexed word."""
    tokenizer = _loaded()
    _catch_up()
    terms: list[str] = []
    for word in tokenizer.cut(query.lower()):
        for term in _WORD_CHARACTERS.findall(word):
            if term not in terms:
                terms.append(term)
    longer = [term for term in terms if not _SINGLE_HAN.fullmatch(term)]
    return (longer or terms)[:MAX_QUERY_TERMS]


def add_names(names: Iterable[str]) -> None:
    """Make place names dictionary words here at once, and in other processes once the
    transaction that saved them commits."""
    tokenizer = _loaded()
    with _lock:
        added = _add(tokenizer, names)
    if added:
        transaction.on_commit(_announce)


@functools.lru_cache(maxsize=20_000)
def _index_words(text: str) -> str:
    """Cached: Wagtail indexes a page again on each save of its row (a new revision, a move),
    and a long regulation takes a second to cut. Emptied when the dictionary changes."""
    return " ".join(
        indexed
        for word in _tokenizer.cut(text)
        if _WORD_CHARACTERS.search(word)
        for indexed in _with_inner_words(word)
    )


def _with_inner_words(word: str) -> list[str]:
    inner = [
        word[start : start + length]
        for length in range(2, len(word))
        for start in range(len(word) - length + 1)
        if _tokenizer.FREQ.get(word[start : start + length])
    ]
    return [*inner, word]


def _loaded() -> jieba.Tokenizer:
    global _tokenizer, _stamp_seen, loads
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tokenizer = jieba.Tokenizer()
                tokenizer.tmp_dir = str(settings.VAR_DIR)
                tokenizer.initialize()
                # Read before the names: a stamp set after this means names this load missed.
                _stamp_seen = cache.get(STAMP_KEY)
                _add(tokenizer, vocabulary.place_names())
                loads += 1
                _tokenizer = tokenizer
                logger.info("分词词典已载入（进程 %s）", os.getpid())
    return _tokenizer


def _add(tokenizer: jieba.Tokenizer, names: Iterable[str]) -> bool:
    new = vocabulary.dictionary_words(names) - _words
    for word in new:
        tokenizer.add_word(word)
    _words.update(new)
    if new:
        _index_words.cache_clear()
    return bool(new)


def _announce() -> None:
    global _stamp_seen
    with _lock:
        _stamp_seen = uuid.uuid4().hex
        cache.set(STAMP_KEY, _stamp_seen, None)


def _catch_up() -> None:
    """Add the names another process announced since this one last looked (one cache read;
    the database is read only after an announcement)."""
    global _stamp_seen
    stamp = cache.get(STAMP_KEY)
    if stamp is None or stamp == _stamp_seen:
        return
    with _lock:
        _stamp_seen = stamp
        _add(_loaded(), vocabulary.place_names())
