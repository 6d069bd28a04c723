"""A form page drawn once per link, version, language and page, filled in per request.

Everything around a page's questions is the same for every person who sees that page through that link in that
language: the header, the progress, the buttons, the language menu. Rendering it for every "Next" cost about as much
as the rest of the request. So the page is rendered once with stand-ins for what differs between requests (slots):
the CSRF token, the idempotency key, the pages seen so far, the earlier pages' answers carried as hidden inputs,
and each question (filled through ``markup.question``, which draws it once and fills in the answers). A request
joins the frame's text with its own values.

A frame is kept among the link's copies (``links.linkview.kept``): any change to a link, a card or a pin drops it,
so nothing it shows of the link (its test banner, its "save" button) is older than the request. Drawn in full, as
before: a page with errors or a notice, a prefilled one, a kiosk's page.
"""
from __future__ import annotations

from typing import Callable

from markupsafe import Markup, escape

from ..fieldtypes import field_type
from ..links.linkview import kept
from .markup import question

#: Frames kept per process at most; beyond, they start over. A frame is a page without its questions (a few KB)
#: plus the next page's questions drawn empty (up to a page: 50 KB for a page of 36 scales); a hall uses a few links
#: in a few languages, 10-15 pages each.
MOST = 500
_SLOT = "\x00"
#: The slots a request fills in, besides the questions.
SLOTS = ("csrf", "key", "seen", "carried")


_INPUTS: dict[tuple[str, str], str] = {}
#: Hidden inputs kept at most (a few MB); a value longer than ``_SHORT`` (free text) is never kept.
_MOST_INPUTS = 20000
_SHORT = 40


def hidden_inputs(pairs) -> Markup:
    """The hidden inputs that carry ``pairs`` (name, value) to the next page."""
    out = []
    for pair in pairs:
        # A page carries the same names with the same few values (a point, a choice) again and again.
        markup = _INPUTS.get(pair)
        if markup is None:
            markup = f'<input type="hidden" name="{escape(pair[0])}" value="{escape(pair[1])}">'
            if len(pair[1]) <= _SHORT:
                if len(_INPUTS) >= _MOST_INPUTS:
                    _INPUTS.clear()
                _INPUTS[pair] = markup
        out.append(markup)
    return Markup("\n  ".join(out))


class Frame:
    """A page's text between its slots: a slot is one of ``SLOTS`` or a question (``_question_slot``)."""

    def __init__(self, parts: list):
        self.parts = parts
        #: slot -> the question drawn empty (as every question "Next" did not bind is drawn)
        self.empty: dict[int, str] = {}

    @classmethod
    def drawn(cls, render: Callable[..., str], csrf_token: str, questions: list) -> "Frame":
        """The frame of ``render(**stand_ins)``: ``render`` draws the page with each slot's stand-in.

        :param csrf_token: the token ``render`` draws (a slot from then on)
        :param questions: filled by ``render`` with each drawn question's ``(field, condition)``
        """
        stand_ins = {name: Markup(f"{_SLOT}{name}{_SLOT}") for name in SLOTS if name != "csrf"}
        text = render(**stand_ins).replace(csrf_token, f"{_SLOT}csrf{_SLOT}")
        pieces = text.split(_SLOT)
        # Odd pieces are slot names: the markup itself holds no NUL (request hygiene and the loader refuse it).
        return cls([_question_slot(*questions[int(p[1:])]) if i % 2 and p.startswith("q") else p
                    for i, p in enumerate(pieces)])

    def fill(self, values: dict, definition=None, form=None, t=None, empty_form: Callable | None = None) -> str:
        """The page: each slot filled from ``values``, each question drawn with ``form``'s answers.

        :param empty_form: ``empty_form(f)`` makes a form holding question ``f`` bound to an empty sent form, for a
            question ``form`` does not hold (the next page's questions unanswered so far are not bound by "Next":
            they look as they look empty)
        """
        out = []
        for i, part in enumerate(self.parts):
            if not i % 2:
                out.append(part)
            elif isinstance(part, str):
                out.append(values[part])
            elif part[2] is None or part[2] in form:
                out.append(question(definition, form, part[0], t, part[1]))
            elif not field_type(part[0]).drawn_once:
                # Its markup changes without the link changing (a company recorded a minute ago): drawn every time.
                out.append(question(definition, empty_form(part[0]), part[0], t, part[1]))
            else:
                if i not in self.empty:
                    self.empty[i] = str(question(definition, empty_form(part[0]), part[0], t, part[1]))
                out.append(self.empty[i])
        return "".join(out)

    def baked(self, definition, form, t) -> "Frame":
        """This frame with its questions drawn for ``form`` (an empty first page is the same for everyone), but
        those whose markup changes otherwise (``FieldType.drawn_once``), which stay slots."""
        kept = [not i % 2 or isinstance(part, str) or not field_type(part[0]).drawn_once
                for i, part in enumerate(self.parts)]
        parts = [part if kept[i] else str(question(definition, form, part[0], t, part[1]))
                 for i, part in enumerate(self.parts)]
        merged = [parts[0]]
        for i in range(1, len(parts), 2):
            if kept[i]:
                merged += [parts[i], parts[i + 1]]
            else:
                merged[-1] += parts[i] + parts[i + 1]
        return Frame(merged)


def _question_slot(f, condition) -> tuple:
    """A question's slot: the question, its condition for the browser, its first input's name (None: it has none)."""
    return f, condition, next(iter(field_type(f).input_names(f)), None)


def recorder(questions: list) -> Callable:
    """Stands in for the template's ``question``: a slot for each question, its ``(field, condition)`` kept."""
    def slot(_definition, _form, f, _t, condition=None, _fixed=None) -> Markup:
        questions.append((f, condition))
        return Markup(f"{_SLOT}q{len(questions) - 1}{_SLOT}")
    return slot


def frames() -> dict | None:
    """This process's frames under the links' state this request read (None: none may be kept)."""
    kept_frames = kept("page_frames")
    if kept_frames is not None and len(kept_frames) >= MOST:
        kept_frames.clear()
    return kept_frames
