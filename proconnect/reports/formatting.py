"""Numbers, shares and dates as a German or English reader expects them (3,5 / 3.5; 45 % / 45%)."""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal


class Formatter:
    """Formatting filters for one report language; templates get it as ``f``."""

    def __init__(self, language: str, min_cell: int = 5):
        self.locale = "de_DE" if language == "de" else "en_GB"
        self.language = language
        self.min_cell = min_cell

    def int(self, n) -> str:
        """A count; ``None`` (suppressed) shows as ``< k``."""
        if n is None:
            return f"< {self.min_cell}"
        return format_decimal(n, format="#,##0", locale=self.locale)

    def num(self, x, digits: int = 1) -> str:
        if x is None:
            return "–"
        if float(x).is_integer() and digits == 0:
            return self.int(int(x))
        return format_decimal(round(x, digits), format="#,##0." + "0" * digits, locale=self.locale)

    def value(self, x) -> str:
        """A number as answered: whole numbers without decimals."""
        if x is None:
            return "–"
        if float(x).is_integer():
            return self.int(int(x))
        return format_decimal(round(x, 2), format="#,##0.0#", locale=self.locale)

    def pct(self, p) -> str:
        if p is None:
            return "–"
        if 0 < p < 1:
            shown = "< 1"
        else:
            shown = format_decimal(round(p), format="#,##0", locale=self.locale)
        return f"{shown} %" if self.language == "de" else f"{shown}%"

    def date(self, d) -> str:
        if d is None:
            return "–"
        if isinstance(d, datetime):
            d = d.date()
        return format_date(d, "dd.MM.yyyy" if self.language == "de" else "d MMM yyyy", locale=self.locale)

    def datetime(self, d: datetime) -> str:
        if d is None:
            return "–"
        return format_datetime(d, "dd.MM.yyyy, HH:mm" if self.language == "de" else "d MMM yyyy, HH:mm",
                               locale=self.locale)

    def month(self, key: str) -> str:
        """``'2027-03'`` as ``03/2027`` (German) or ``Mar 2027``; a year stays a year."""
        if len(key) == 4:
            return key
        d = date(int(key[:4]), int(key[5:7]), 1)
        return format_date(d, "MM/yyyy" if self.language == "de" else "MMM yyyy", locale=self.locale)
