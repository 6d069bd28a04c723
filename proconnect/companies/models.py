"""Company records: the project's partner companies, chosen from a list instead of typed as free text."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_util import utcnow

#: Legal forms and filler words that do not tell two companies apart ("Müller GmbH & Co. KG" = "Müller").
_NOISE = frozenset("gmbh co kg ag ug ohg gbr ek e k mbh haftungsbeschrankt inh inhaber und the der die das".split())


def name_key(name: str) -> str:
    """A company name reduced to what tells companies apart: lower case, umlauts and accents folded,
    punctuation and legal forms dropped ("Bäckerei Müller GmbH & Co. KG" -> "backerei muller").

    Free-text company names in old answers are matched to records by this key.
    """
    return " ".join(word for word in folded_words(name) if word not in _NOISE)[:200]


def usual_spelling(spellings) -> str:
    """Of the spellings of one name (spelling -> how often given), the one given most often; ties by the spelling,
    so that a page shows the same one whatever order the answers were read in."""
    return min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def folded_words(text: str) -> list[str]:
    """The words of a text in lower case, umlauts and accents folded ("Großenkneten" -> ["grossenkneten"])."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.findall(r"[^\W_]+", plain)


class Company(db.Model):
    """A partner company, project-wide (a company takes people from several cohorts; one record each).

    Holds what the company gives about itself: no person's private data. The contact is a role
    ("Ausbildungsleitung"); an e-mail address only when the company gave one for the project to reach it.
    """

    __tablename__ = "company"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: ``name_key(name)``, kept so that matching free text to records is one indexed lookup.
    name_key: Mapped[str] = mapped_column(String(200), index=True, default="")
    #: The Gemeinde (municipality) the company is in: a value of the one list of places (``places``), the
    #: same as participants' homes, so travel times are real; "other": elsewhere; None: not chosen yet.
    municipality: Mapped[str | None] = mapped_column(String(40))
    #: A place typed before the list (or taken from a survey's district) that names no Gemeinde of it: kept
    #: and shown as "not on the list" until a coordinator chooses the Gemeinde ("" once chosen).
    place: Mapped[str] = mapped_column(String(100), default="")
    #: The trades it trains or employs in: choice values of the readiness survey's trades.
    trades: Mapped[list] = mapped_column(JSON, default=list)
    #: Who speaks for the company's places, as a role ("Inhaber", "Ausbildungsleitung"), never a name.
    contact_role: Mapped[str] = mapped_column(String(200), default="")
    #: An address the company gave the project for its surveys and reminders ("" if none).
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    #: The readiness survey response the record was made from (None: made by hand). A plain number, no
    #: foreign key: response -> link -> company would be a cycle, and the record outlives the response.
    source_response_id: Mapped[int | None]
    #: A company that left the project: no longer offered in lists; old answers naming it still read.
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self):
        return f"<Company {self.id} {self.name!r}>"


class CompanyAlias(db.Model):
    """A company name typed as free text (in an older form version, or as "other") that a coordinator
    confirmed to mean a record: reports, the pipeline and profile sheets then count it under the record.

    The answers themselves stay as they were given; only their reading changes.
    """

    __tablename__ = "company_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    #: ``name_key`` of the typed name: every spelling with the same key reads as the record.
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    #: The name as it was typed when confirmed (for the list of confirmed matches).
    name: Mapped[str] = mapped_column(String(200))
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<CompanyAlias {self.name_key!r}→{self.company_id}>"
