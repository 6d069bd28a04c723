"""Correct an answer, void or restore a response, move it to another participant code, set its review state.

Each function checks, changes the response, adds its history (``ResponseChange``) and an audit entry, and
commits nothing (the view commits once). A change that cannot be made raises ``Refused`` with a message for
staff, before anything is changed.
"""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from ..audit import participant_target, record
from ..definitions.conditions import is_shown
from ..definitions.model import PARTICIPANT_FIELD, Field, FormDefinition
from ..extensions import db
from ..fieldtypes import field_type
from ..links import codes
from ..links.models import Participant
from ..links.participants import cards_issued
from ..personal_data import code_digest
from ..responses.models import REVIEW_STATES, WITH_VOIDED, Response
from ..responses.storage import rewrite_answers
from .models import ResponseChange


class Refused(Exception):
    """A change that cannot be made; ``message`` tells staff why (nothing was changed)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def definition_of(registry, response: Response) -> FormDefinition:
    """The exact version the response was given under. :raise Refused: when the registry no longer has it"""
    definition = registry.get(response.form_id, response.version)
    if definition is None or definition.content_hash != response.content_hash:
        raise Refused(_l("Version %(v)s of this form is no longer known, so its answers cannot be corrected.",
                         v=response.version))
    return definition


def current_values(definition: FormDefinition, response: Response) -> dict:
    """Every answer name of the definition -> its current value, as the field types read it (None: no answer)."""
    answers = (response.payload or {}).get("answers", {})
    values = {}
    for f in definition.answer_fields:
        handler = field_type(f)
        for name in handler.answer_names(f):
            stored = answers.get(name)
            # The payload keeps dates as ISO text; the type reads its value back (a date as a date).
            values[name] = None if stored is None else handler.cell(stored)
    return values


def apply_conditions(definition: FormDefinition, values: dict) -> tuple[dict, dict]:
    """``values`` as the form would have kept them: each condition evaluated in form order over the answers
    before it, a hidden question without an answer. :return: ``(values, shown)`` as ``util.read_answers``"""
    kept, shown = {}, {}
    for f in definition.answer_fields:
        shown[f.id] = is_shown(f.condition, kept)
        kept.update({name: values.get(name) if shown[f.id] else None for name in field_type(f).answer_names(f)})
    return kept, shown


def correctable(definition: FormDefinition, response: Response) -> list[Field]:
    """The questions staff may correct in this response: those shown, except the code (moved by reassigning)
    and consents."""
    _values, shown = apply_conditions(definition, current_values(definition, response))
    return [f for f in definition.answer_fields
            if shown[f.id] and f.id != PARTICIPANT_FIELD and field_type(f).staff_corrects]


def _json(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def _same(a, b) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b


def _target(cohort, response: Response) -> str:
    if response.participant_code:
        return participant_target(cohort, response.participant_code)
    return f"response {response.id} of cohort {cohort.slug}"


def _change(response: Response, kind: str, user, reason: str, **columns) -> ResponseChange:
    change = ResponseChange(response_id=response.id, cohort_id=response.cohort_id, kind=kind, reason=reason,
                            changed_by=user.username, **columns)
    db.session.add(change)
    return change


def _reason(text: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise Refused(_l("Please say why. Nothing was changed."))
    return reason


def correct(cohort, response: Response, definition: FormDefinition, f: Field, new: dict, reason: str,
            user) -> list[ResponseChange]:
    """Give question ``f`` of ``response`` the answers ``new`` (answer name -> value, as the field type reads
    its input, already checked against the response's version by its form field). Questions a condition now
    hides lose their answer, a question it now shows has none yet; scores are computed again.

    :return: the history rows added (the correction first, then what followed from it)
    :raise Refused: no reason, a question that cannot be corrected, or nothing would change
    """
    reason = _reason(reason)
    if f not in correctable(definition, response):
        raise Refused(_l("This question cannot be corrected here."))
    before = current_values(definition, response)
    own = field_type(f).answer_names(f)
    if all(_same(before.get(name), new.get(name)) for name in own):
        raise Refused(_l("This is the answer already stored. Nothing was changed."))
    after, shown = apply_conditions(definition, {**before, **{name: new.get(name) for name in own}})
    old_scores = dict((response.payload or {}).get("scores", {}))
    scores = rewrite_answers(definition, response, after, shown)
    changes = [_change(response, "correct" if name in own else "follows", user, reason, field_id=name,
                       old=_json(before.get(name)), new=_json(after.get(name)))
               for name in after if not _same(before.get(name), after.get(name))]
    changes += [_change(response, "follows", user, reason, field_id=score.id, old=old_scores.get(score.id),
                        new=scores.get(score.id))
                for score in definition.scores if not _same(old_scores.get(score.id), scores.get(score.id))]
    record("response_corrected", _target(cohort, response), response=response.id, form=response.form_id,
           fields=[c.field_id for c in changes])
    return changes


def void(cohort, response: Response, reason: str, user) -> ResponseChange:
    """Leave the response out of every figure (it stays, listed apart, and can be restored).

    :raise Refused: no reason, or voided already
    """
    reason = _reason(reason)
    if response.voided:
        raise Refused(_l("This response is voided already."))
    response.voided = True
    record("response_voided", _target(cohort, response), response=response.id, form=response.form_id)
    return _change(response, "void", user, reason)


def restore(cohort, response: Response, reason: str, user) -> ResponseChange:
    """Count a voided response again. :raise Refused: no reason, or not voided"""
    reason = _reason(reason)
    if not response.voided:
        raise Refused(_l("This response is not voided."))
    response.voided = False
    record("response_restored", _target(cohort, response), response=response.id, form=response.form_id)
    return _change(response, "restore", user, reason)


def check_code(cohort, text: str) -> str:
    """The participant code ``text`` stands for, when a response of ``cohort`` may be moved to it.

    :raise Refused: not a code a card can carry, a code of another cohort, or (in a cohort with cards) a code
        not issued for it
    """
    code = codes.normalise(text)
    if not code or not codes.fits_card(code):
        raise Refused(_l("This is not a participant code: a code holds only the characters of a card, "
                         "e.g. K7Q2-M. Nothing was changed."))
    issued_to = db.session.scalar(select(Participant.cohort_id).where(Participant.code == code))
    # Asked across cohorts on purpose (every other query by code filters by cohort): a code belongs to one.
    elsewhere = issued_to is not None and issued_to != cohort.id or db.session.scalar(select(exists().where(
        Response.participant_code == code, Response.cohort_id != cohort.id)))
    if elsewhere:
        raise Refused(_l("The code %(code)s belongs to another cohort. Nothing was changed.", code=code))
    if issued_to is None and db.session.scalar(select(cards_issued(cohort.id))):
        raise Refused(_l("The code %(code)s was not issued for this cohort (see its cards). Nothing was changed.",
                         code=code))
    return code


def reassign(cohort, response: Response, text: str, reason: str, user, definition: FormDefinition | None
             ) -> ResponseChange:
    """Move the response to another participant code of the same cohort (the code was mistyped); the history
    names both codes, so both participants' pages show the move.

    :param definition: the response's version (its code answer is rewritten too), None when it is gone
    :raise Refused: no reason, the same code, or a code ``check_code`` refuses
    """
    reason = _reason(reason)
    code = check_code(cohort, text)
    old = response.participant_code
    if code == old:
        raise Refused(_l("The response is stored under this code already. Nothing was changed."))
    if definition is not None:
        values, shown = apply_conditions(definition, {**current_values(definition, response),
                                                      PARTICIPANT_FIELD: code})
        rewrite_answers(definition, response, values, shown)
    else:
        payload = dict(response.payload or {})
        payload["answers"] = {**payload.get("answers", {}), PARTICIPANT_FIELD: code}
        response.payload = payload
    response.participant_code = code
    record("response_reassigned", _target(cohort, response) if old is None else participant_target(cohort, old),
           response=response.id, form=response.form_id, to=code_digest(cohort.id, code)[:16])
    return _change(response, "reassign", user, reason, old_code=old, new_code=code)


def set_review(cohort, response: Response, state: str) -> bool:
    """Set the review state (``REVIEW_STATES``); :return: whether it changed. :raise Refused: unknown state"""
    if state not in REVIEW_STATES:
        raise Refused(_l("Unknown review state. Nothing was changed."))
    if response.review == state:
        return False
    record("response_reviewed", _target(cohort, response), response=response.id, review=state,
           was=response.review)
    response.review = state
    return True


def history(response_id: int) -> list[ResponseChange]:
    """The changes of one response, oldest first."""
    return db.session.scalars(select(ResponseChange).where(ResponseChange.response_id == response_id)
                              .order_by(ResponseChange.changed_at, ResponseChange.id)).all()


def moves(cohort_id: int, code: str) -> list[ResponseChange]:
    """Responses moved to or from ``code`` in the cohort, oldest first."""
    return db.session.scalars(select(ResponseChange).where(
        ResponseChange.cohort_id == cohort_id, ResponseChange.kind == "reassign",
        (ResponseChange.old_code == code) | (ResponseChange.new_code == code))
        .order_by(ResponseChange.changed_at, ResponseChange.id)).all()


def find_response(cohort, response_id: int) -> Response | None:
    """A response of the cohort, a voided one too (its page restores it); None for another cohort's."""
    row = db.session.get(Response, response_id, execution_options=WITH_VOIDED)
    return row if row is not None and row.cohort_id == cohort.id else None


def counts(cohort_id: int) -> dict[str, int]:
    """How many answers staff corrected and how many responses they voided in the cohort (method notes)."""
    corrected = db.session.scalar(select(func.count(ResponseChange.id)).where(
        ResponseChange.cohort_id == cohort_id, ResponseChange.kind == "correct")) or 0
    voided = db.session.scalar(select(func.count(Response.id)).where(Response.cohort_id == cohort_id,
                                                                     Response.voided),
                               execution_options=WITH_VOIDED) or 0
    return {"corrected": corrected, "voided": voided}


def data_version(cohort_id: int) -> list:
    """Changes whenever a change is made in the cohort (a kept report PDF is made again)."""
    row = db.session.execute(select(func.count(ResponseChange.id), func.max(ResponseChange.id))
                             .where(ResponseChange.cohort_id == cohort_id)).one()
    return [row[0], row[1]]
