"""Cursor pagination as the real service does it.

`limit` 1-100 (default 20), `order` `asc|desc` (default `desc`, by creation), `after` /
`before` object-id cursors; `first_id`, `last_id` and `has_more` describe the page
(`has_more` is false on the last page, ids are null on an empty page). The files list
is the documented exception: limit up to 10,000 (default 10,000) and no `before`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from . import errors
from .models.common import ListPage
from .store import Table

T = TypeVar("T")


@dataclass(frozen=True)
class ListQuery:
    limit: int = 20
    order: str = "desc"
    after: str | None = None
    before: str | None = None


def parse_query(
    args: Mapping[str, Any], *, default_limit: int = 20, max_limit: int = 100, allow_before: bool = True
) -> ListQuery:
    """Read and check `limit`, `order`, `after`, `before` from a query string mapping."""
    raw_limit = args.get("limit")
    limit = default_limit
    if raw_limit is not None and raw_limit != "":
        try:
            limit = int(raw_limit)
        except (TypeError, ValueError):
            raise errors.invalid_type("limit", "an integer", f"'{raw_limit}'") from None
        if limit > max_limit:
            raise errors.invalid(
                "limit",
                f"integer above maximum value. Expected a value <= {max_limit}, but got {limit} instead.",
                "integer_above_max_value",
            )
        if limit < 1:
            raise errors.invalid(
                "limit",
                f"integer below minimum value. Expected a value >= 1, but got {limit} instead.",
                "integer_below_min_value",
            )
    order = args.get("order") or "desc"
    if order not in ("asc", "desc"):
        raise errors.invalid_value("order", order, ["asc", "desc"])
    after = args.get("after") or None
    before = (args.get("before") or None) if allow_before else None
    return ListQuery(limit=limit, order=order, after=after, before=before)


def paginate(
    table: Table,
    query: ListQuery,
    accept: Callable[[Any], bool] | None = None,
    id_of: Callable[[Any], str] | None = None,
) -> ListPage:
    """One page of `table` (oldest-first storage) as the list envelope."""
    id_of = id_of or (lambda o: o.id)
    forward = 1 if query.order == "asc" else -1  # direction of the list in storage positions
    if query.after is not None:
        start = _cursor(table, "after", query.after) + forward
        step = forward
    elif query.before is not None:
        start = _cursor(table, "before", query.before) - forward
        step = -forward
    else:
        start = 0 if forward == 1 else table.end - 1
        step = forward
    items: list[Any] = []
    has_more = False
    for obj in table.walk(start, step, accept):
        if len(items) == query.limit:
            has_more = True
            break
        items.append(obj)
    if step != forward:  # `before` walks against the list order; show the page in list order
        items.reverse()
    return ListPage(
        data=items,
        first_id=id_of(items[0]) if items else None,
        last_id=id_of(items[-1]) if items else None,
        has_more=has_more,
    )


def _cursor(table: Table, name: str, id: str) -> int:
    pos = table.position(id)
    if pos is None:
        raise errors.invalid(name, f"no object found with id '{id}' in this list.", "invalid_value")
    return pos
