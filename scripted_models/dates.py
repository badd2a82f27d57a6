"""Dates in what a message writes, for the properties that hold one (`schema_values`): the default
model fills a date property with the date the user wrote (Azure's structured-output sample extracts a
CalendarEvent from "Friday, November 7, 2025")."""

from __future__ import annotations

import datetime
import re
from typing import Any

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
_MONTH = r"(" + "|".join(m[:3] + r"(?:" + m[3:] + r")?" for m in _MONTHS) + r")\.?"
_DATES = (
    # 2025-11-07, November 7, 2025, 7 Nov 2025
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("year", "month", "day")),
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"), ("name", "day", "year")),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b"), ("day", "name", "year")),
)


def is_date(node: dict[str, Any], path: tuple[Any, ...]) -> bool:
    """A string that holds a date: `format: date`, a property named `date` or `..._date` /
    `...Date`, or one described as YYYY-MM-DD."""
    name = path[-1] if path and isinstance(path[-1], str) else ""
    described = "yyyy-mm-dd" in str(node.get("description", "")).lower()
    return node.get("format") == "date" or name.lower() == "date" or name.endswith(("_date", "Date")) or described


def date_in(message: str) -> str | None:
    """The first calendar date a message writes (2025-11-07, "November 7, 2025", "7 Nov 2025"),
    as YYYY-MM-DD; None when it writes none (or an impossible one)."""
    found = []
    for pattern, fields in _DATES:
        match = pattern.search(message)
        if match is not None:
            found.append((match.start(), dict(zip(fields, match.groups(), strict=True))))
    for _at, parts in sorted(found, key=lambda f: f[0]):
        month = int(parts["month"]) if "month" in parts else _MONTHS.index(
            next(m for m in _MONTHS if m.startswith(parts["name"].lower()[:3]))) + 1  # fmt: skip
        try:
            return datetime.date(int(parts["year"]), month, int(parts["day"])).isoformat()
        except ValueError:
            continue
    return None
