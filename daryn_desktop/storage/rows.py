"""Conversion between entities (dataclasses with enums and dates) and SQLite rows."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


#: The types stored as they are (a caller converting many values may test for them itself).
PLAIN_TYPES = frozenset({str, int, float, type(None), bytes})


def to_db(value: Any) -> Any:
    """A value as stored: enums by value, dates as ISO text, booleans as 0/1."""
    if type(value) in PLAIN_TYPES:  # the common case, checked first: bulk writes call this a lot
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def to_row(entity: Any) -> dict[str, Any]:
    """The columns of an entity, ready for the write path."""
    return {f.name: to_db(getattr(entity, f.name)) for f in dataclasses.fields(entity)}


@cache
def _converters(cls: type[DataclassInstance]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    converters: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        origin = typing.get_origin(hint)
        base = args[0] if origin in (typing.Union, types.UnionType) and len(args) == 1 else hint
        if isinstance(base, type) and issubclass(base, Enum):
            converters[f.name] = base
        elif base is date:
            converters[f.name] = date.fromisoformat
        elif base is bool:
            converters[f.name] = bool
    return converters


def from_row(cls: type[T], row: dict[str, Any]) -> T:
    """Build an entity from a row, ignoring columns the entity does not have (sort keys)."""
    conv = _converters(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    values = {}
    for name, value in row.items():
        if name not in names:
            continue
        if value is not None and name in conv:
            value = conv[name](value)
        values[name] = value
    return cls(**values)
