"""Participant codes issued per cohort, and the check a form applies to a typed or scanned code."""
from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from wtforms.validators import ValidationError

from ..cohorts.models import Cohort
from ..extensions import db
from . import codes
from .models import Participant


def issue_codes(cohort: Cohort, count: int) -> list[str]:
    """Create ``count`` new participants in ``cohort``; :return: their codes, in the order created."""
    taken = set(db.session.scalars(select(Participant.code)))
    new = []
    while len(new) < count:
        code = codes.new_code()
        if code not in taken:
            taken.add(code)
            new.append(code)
    db.session.add_all(Participant(code=code, cohort=cohort) for code in new)
    db.session.commit()
    return new


NOT_A_CODE = _l("This does not look like a participant code. A code looks like K7Q2-M: please copy it from your "
                "card.")


class ParticipantCode:
    """WTForms validator for the participant code field of every form, however it is filled in.

    A code holds only what a card can carry (``codes.fits_card``), so it can be printed, typed, put in an
    address and exported as it is. A cohort without cards keeps free codes in those characters (a project
    may use its own); with cards, a code must carry the right check character and belong to the cohort,
    so instruments link up. A test link takes any well-formed code (right shape and check character): a
    rehearsal needs no real card, and its answers never reach a participant's record.
    """

    def __call__(self, form, field):
        message = code_problem(field.data)
        if message is not None:
            raise ValidationError(message)


def code_problem(value):
    """What is wrong with a participant code as read (``ParticipantCode``), None when nothing or nothing given."""
    if value in (None, "", []):
        return None
    # A form of one's own may ask for the code with another field type: its answer is stored as text.
    code = codes.normalise(str(value))
    if not codes.fits_card(code):
        return NOT_A_CODE
    cohort_id = g.get("link_cohort_id")
    if cohort_id is None or not _has_cards(cohort_id):
        return None
    if not codes.PATTERN.match(code):
        return NOT_A_CODE
    if not codes.is_valid(code):
        return _l("This code has a typing error: its last character does not match. Please compare it with your card.")
    if g.get("link_test"):
        return None
    if not db.session.scalar(select(exists().where(Participant.cohort_id == cohort_id, Participant.code == code))):
        return _l("This code does not belong to this group. Please compare it with your card.")
    return None


def cards_issued(cohort_id):
    """Whether a cohort has participant cards, as an SQL expression (a link's query can carry it along)."""
    return exists().where(Participant.cohort_id == cohort_id)


def _has_cards(cohort_id: int) -> bool:
    # The link's query of this request carried the answer along (``flow.find_link``); else ask.
    known = g.get("link_cohort_has_cards")
    return known if known is not None else bool(db.session.scalar(select(cards_issued(cohort_id))))


def add_code_check(form_class, field_name: str):
    """Give ``form_class`` the participant code check on ``field_name`` (when the form has that field)."""
    unbound = getattr(form_class, field_name, None)
    if unbound is not None:
        validators = unbound.args[1] if len(unbound.args) > 1 else unbound.kwargs.setdefault("validators", [])
        if not any(isinstance(v, ParticipantCode) for v in validators):
            validators.append(ParticipantCode())
            unbound.kwargs["filters"] = [*unbound.kwargs.get("filters", ()), tidy]
    return form_class


def tidy(value):
    """``k7q2 m`` -> ``K7Q2-M``, ``k7q2 xm4p`` -> ``K7Q2-XM4P`` when it is a code; any other text stays as
    typed, for the person to correct (the check refuses it)."""
    if isinstance(value, str):
        code = codes.normalise(value)
        if codes.fits_card(code):
            return code
    return value
