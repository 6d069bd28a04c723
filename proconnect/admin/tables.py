"""Server-side sorting, filtering and paging for staff tables (pages work without JavaScript)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request
from sqlalchemy import func, select

from ..extensions import db

PER_PAGE = 50


@dataclass
class Sorting:
    """The sort chosen through ``?sort=<key>&dir=asc|desc``, limited to the table's known columns."""

    columns: dict  # key -> SQL expression
    key: str
    descending: bool

    @classmethod
    def from_request(cls, columns: dict, default: str, descending: bool = False) -> "Sorting":
        key = request.args.get("sort", default)
        if key not in columns:
            key = default
        direction = request.args.get("dir")
        desc = descending if direction not in ("asc", "desc") else direction == "desc"
        return cls(columns, key, desc)

    def clause(self):
        column = self.columns[self.key]
        return column.desc() if self.descending else column.asc()


@dataclass
class Page:
    """One page of a query's rows, with what the template needs to link to the others."""

    items: list
    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_row(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        return min(self.total, self.number * self.per_page)


def requested_page() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def paginate(query, per_page: int = PER_PAGE, scalars: bool = False, options: dict | None = None) -> Page:
    """Run ``query`` for the requested page (``?page=N``); a page past the end shows the last one.

    :param options: execution options of the count and the page (e.g. ``WITH_VOIDED``)
    """
    options = options or {}
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()),
                              execution_options=options) or 0
    number = min(requested_page(), max(1, -(-total // per_page)))
    window = query.limit(per_page).offset((number - 1) * per_page)
    rows = (db.session.scalars(window, execution_options=options).all() if scalars
            else db.session.execute(window, execution_options=options).all())
    return Page(rows, number, total, per_page)
