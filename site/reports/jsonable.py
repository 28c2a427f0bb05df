"""Figures as JSON and back: the pages store what they computed (a `JSONField`), the closed
months keep theirs, and the templates, the CSV and the feeds read the same dataclasses again.
Only what the figures hold is supported: dataclasses of ints, floats, strings, None and lists
of such dataclasses."""

import dataclasses
import types
import typing


def dump(figures) -> dict:
    return dataclasses.asdict(figures)


def load(cls, data: dict):
    """The dataclass `cls` from what `dump` gave; fields added since take their defaults."""
    hints = typing.get_type_hints(cls)
    values = {}
    for field in dataclasses.fields(cls):
        if field.name not in data:
            continue
        values[field.name] = _value(hints[field.name], data[field.name])
    return cls(**values)


def _value(hint, value):
    if value is None:
        return None
    if dataclasses.is_dataclass(hint):
        return load(hint, value)
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_value(item, element) for element in value]
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _value(inner[0], value) if len(inner) == 1 else value
    return value
