"""Languages of the project and how the current one is chosen for a request."""
from __future__ import annotations

from flask import g, request
from flask_babel import get_locale, pgettext

#: Language code -> native name, as shown on the language choice screen (never flags).
LANGUAGES: dict[str, str] = {
    "de": "Deutsch",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی / دری",
    "uk": "Українська",
    "ru": "Русский",
    "tr": "Türkçe",
    "ti": "ትግርኛ",
    "kmr": "Kurmancî",
    "ps": "پښتو",
    "ckb": "کوردیی ناوەندی",
}
RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "ckb"})
DEFAULT_LANGUAGE = "de"
COOKIE = "lang"


def supported(code: str | None) -> str | None:
    """The code itself when it is one of the project's languages, else None."""
    return code if code in LANGUAGES else None


def select_locale() -> str:
    """Choice on the page (``?lang=``), then the cookie, then the link's language, then the browser's."""
    return (supported(request.args.get("lang"))
            or supported(request.cookies.get(COOKIE))
            or supported(getattr(g, "link_language", None))
            or request.accept_languages.best_match(list(LANGUAGES))
            or DEFAULT_LANGUAGE)


def current_language() -> str:
    locale = get_locale()
    return str(locale) if locale else DEFAULT_LANGUAGE


def text_direction(code: str | None = None) -> str:
    return "rtl" if (code or current_language()) in RTL_LANGUAGES else "ltr"


def form_translator(form_id: str):
    """A function translating the German texts of one form (gettext context = form id)."""
    def translate(text: str) -> str:
        return pgettext(form_id, text) if text else text
    return translate
