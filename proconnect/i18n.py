"""Languages of the project, how the current one is chosen for a request, and what happens to missing texts.

Order of choice: ``?lang=`` (the participant's choice, kept in a cookie), the cookie, the link's default
language, the browser's ``Accept-Language``, German. An unknown code at any step is skipped, never an error.
Texts missing in a catalog fall back to German: form texts visibly marked (``Untranslated``), user
interface strings through the German UI catalog (English and German keep their own).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from babel import support
from flask import current_app, g, has_app_context, has_request_context, request
from flask_babel import Domain, get_locale, get_translations, pgettext
from markupsafe import Markup

from .extensions import babel

#: Language code -> native name, as shown on the language choice (never flags).
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
#: Codes browsers and people use for our languages: Dari, "Kurdish" (mostly Kurmanji), Kurdish in Arabic script.
ALIASES = {"prs": "fa", "ku": "kmr", "ku-latn": "kmr", "ku-arab": "ckb", "ckb-arab": "ckb", "kmr-latn": "kmr"}
#: Locales whose missing UI strings show the (English) msgid rather than German.
_OWN_UI_FALLBACK = frozenset({DEFAULT_LANGUAGE, "en"})


def supported(code: str | None) -> str | None:
    """The project's code for ``code`` (``ar``, ``AR``, ``ar-SY``, ``ar_SY``, ``prs``), or None when unknown."""
    if not code or not isinstance(code, str) or len(code) > 35:
        return None
    code = code.strip().lower().replace("_", "-")
    for candidate in (code, code.split("-", 1)[0]):
        candidate = ALIASES.get(candidate, candidate)
        if candidate in LANGUAGES:
            return candidate
    return ALIASES.get(code)


def select_locale() -> str:
    """Choice on the page (``?lang=``), then the cookie, then the link's language, then the browser's."""
    if not has_request_context():
        # The command line (reports, match-making) speaks the project's default language.
        return DEFAULT_LANGUAGE
    return (supported(request.args.get("lang"))
            or supported(request.cookies.get(COOKIE))
            or supported(getattr(g, "link_language", None))
            or next((c for c in map(supported, request.accept_languages.values()) if c), None)
            or DEFAULT_LANGUAGE)


def current_language() -> str:
    """The project's code of the request's language (German outside a request)."""
    locale = get_locale()
    return (supported(str(locale)) if locale else None) or DEFAULT_LANGUAGE


def text_direction(code: str | None = None) -> str:
    return "rtl" if (code or current_language()) in RTL_LANGUAGES else "ltr"


class Untranslated(str):
    """A German form text shown because the current language has no translation for it yet.

    In HTML it is marked for the eye (CSS class) and for screen readers (``lang="de"``); as a plain
    string it is the German text. ``split`` keeps the mark on each part (consent paragraphs).
    """

    __slots__ = ()

    def __html__(self) -> str:
        return Markup('<span class="untranslated" lang="de" dir="ltr">%s</span>') % str(self)

    def split(self, sep=None, maxsplit=-1) -> list[Untranslated]:
        return [Untranslated(part) for part in str.split(self, sep, maxsplit)]


#: Where the app keeps the translations of the instance's own forms: (form id, language) -> {text: translation}
#: (filled by the forms registry; they come before the project's catalogs).
FORM_TEXTS = "proconnect.form_texts"


#: form id -> a digest of the texts it shows that its file does not hold ("" without any): the instance's own
#: translations of it, and the choices it takes from another form (``choices_of``). What is built or drawn from a
#: form's texts is kept under its definition's hash AND this digest (a corrected translation, or a Gemeinde the
#: competence check adds, leaves the definition's file, and so its hash, unchanged). A digest of the contents, so
#: web and worker processes agree.
FORM_TEXTS_DIGESTS = "proconnect.form_texts_digests"


def install_form_texts(app, texts: dict[tuple[str, str], dict[str, str]], shared: dict[str, str] | None = None) -> None:
    """Make ``texts`` ((form id, language) -> {text: translation}) the instance's own form translations.

    :param shared: form id -> a digest of the choices its versions take from other forms
    """
    digests: dict = {}
    for (form_id, language), pairs in sorted(texts.items()):
        digest = digests.setdefault(form_id, hashlib.sha256())
        digest.update(json.dumps([language, sorted(pairs.items())], ensure_ascii=False).encode())
    for form_id, lists in sorted((shared or {}).items()):
        digests.setdefault(form_id, hashlib.sha256()).update(lists.encode())
    app.extensions[FORM_TEXTS] = texts
    app.extensions[FORM_TEXTS_DIGESTS] = {form_id: d.hexdigest()[:16] for form_id, d in digests.items()}


def form_texts_digest(form_id: str) -> str:
    """The digest of what ``form_id`` shows beyond its file: the instance's own translations of it and the choices
    it takes from another form ("" when it has none)."""
    return current_app.extensions.get(FORM_TEXTS_DIGESTS, {}).get(form_id, "")


def _own_texts(form_id: str) -> dict:
    texts = current_app.extensions.get(FORM_TEXTS) if has_app_context() else None
    return texts.get((form_id, current_language()), {}) if texts else {}


def form_translator(form_id: str):
    """A function translating the German texts of one form (gettext context = form id).

    Its result is an ``Untranslated`` German text when the current language lacks the translation;
    ``translate.plain(text)`` gives a plain string, for places that cannot hold markup (``<title>``, attributes).
    """
    own = _own_texts(form_id)

    def plain(text: str) -> str:
        return (own.get(text) or pgettext(form_id, text)) if text else text

    def translate(text: str) -> str:
        if not text:
            return text
        if text in own:
            return own[text]
        if current_language() != DEFAULT_LANGUAGE and \
                f"{form_id}\x04{text}" not in getattr(get_translations(), "_catalog", {}):
            return Untranslated(text)
        return pgettext(form_id, text)
    translate.plain = plain
    return translate


#: The gettext context of a number field's unit counted ("1 Jahr", "3 Jahre"): plural entries whose msgid is the
#: unit as the form writes it (the catalogs extractor makes one per unit of any form).
UNIT_CONTEXT = "unit"


def count_unit(unit: str, n, german: bool = False) -> str | None:
    """``unit`` counted for the number ``n`` ("Jahre", 1 -> "Jahr") in the current language (in German with
    ``german``), or None when that language's own catalog does not decline it (then the unit stays as it is)."""
    if not unit or not has_app_context() or get_locale() is None and not german:
        return None
    domain = babel.domain_instance
    code = DEFAULT_LANGUAGE if german else current_language()
    key = (tuple(domain.translation_directories), code, "own")
    if key not in domain.cache:
        domain.cache[key] = domain._load(code)
    translations = domain.cache[key]
    if (f"{UNIT_CONTEXT}\x04{unit}", 0) not in getattr(translations, "_catalog", {}):
        return None
    # Plural rules count whole numbers; a fraction takes the form of a number other than one ("0,5 Jahre").
    whole = int(n) if float(n).is_integer() else 2
    return translations.npgettext(UNIT_CONTEXT, unit, unit, whole)


class _GermanFallbackDomain(Domain):
    """Flask-Babel's domain, with the German catalog behind every other non-English one."""

    def get_translations(self):
        if get_locale() is None:
            return support.NullTranslations()
        # Our code, not Babel's locale name: Babel calls Kurmanji "ku_TR", its catalog is translations/kmr.
        code = current_language()
        key = (tuple(self.translation_directories), code, self.domain[0])
        if key not in self.cache:
            translations = self._load(code)
            if code not in _OWN_UI_FALLBACK:
                translations.add_fallback(self._load(DEFAULT_LANGUAGE))
            self.cache[key] = translations
        return self.cache[key]

    def _load(self, locale: str) -> support.Translations:
        translations = support.Translations()
        for dirname in self.translation_directories:
            catalog = support.Translations.load(dirname, [locale], self.domain[0])
            translations.merge(catalog)
            if hasattr(catalog, "plural"):
                # merge() leaves out the plural rule; without it every language would count like English.
                translations.plural = catalog.plural
        return translations


def missing_catalogs(directories: str) -> list[str]:
    """Languages without a compiled catalog (``messages.mo``) in any of ``directories`` (``;``-separated)."""
    folders = [Path(d) for d in directories.split(";") if d]
    return [code for code in LANGUAGES
            if not any((folder / code / "LC_MESSAGES" / "messages.mo").is_file() for folder in folders)]


def outdated_catalogs(directories: str) -> list[str]:
    """Languages whose compiled catalog is older than the ``messages.po`` beside it (a pull without a build)."""
    outdated = []
    for folder in (Path(d) for d in directories.split(";") if d):
        for code in LANGUAGES:
            po, mo = (folder / code / "LC_MESSAGES" / name for name in ("messages.po", "messages.mo"))
            if po.is_file() and mo.is_file() and mo.stat().st_mtime < po.stat().st_mtime and code not in outdated:
                outdated.append(code)
    return outdated


def init_app(app) -> None:
    """Flask-Babel with our locale choice and the German fallback catalog."""
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = _GermanFallbackDomain()
