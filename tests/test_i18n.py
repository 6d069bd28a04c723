"""Which language a person sees, how they change it without losing answers, and what a missing text looks like."""
from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from sqlalchemy import select

from proconnect.extensions import db
from proconnect.i18n import LANGUAGES, RTL_LANGUAGES
from proconnect.responses.models import Answer, Response

PAGE_ONE = {"name": "Sami", "years": "3,5", "trade": "metal", "metal_detail": "Geländer", "skills": ["weld"]}
PAGE_TWO = {"likes_building": "3", "licence": "yes", "start": "2027-08-01", "often__saw": "4", "often__drill": "1",
            "consent": "y"}


def html_lang(page) -> tuple[str, str]:
    return re.search(r'<html lang="([^"]+)" dir="(\w+)">', page.get_data(as_text=True)).groups()


def stored(app) -> list[list[tuple]]:
    """Per response, its answers as (field, shown, text, number, date, long text), in field order."""
    with app.app_context():
        out = []
        for response in db.session.scalars(select(Response).order_by(Response.id)):
            rows = db.session.scalars(select(Answer).filter_by(response_id=response.id)).all()
            out.append(sorted((a.field_id, a.shown, a.value_text, a.value_num, a.value_date, a.value_long)
                              for a in rows))
        return out


@pytest.fixture
def catalogs(app, tmp_path):
    """Replace the app's catalogs by small ones: ``catalogs({"ar": {"Next": "…", ("form", "Text"): "…"}})``."""
    directory = tmp_path / "translations"

    def install(entries_by_language: dict):
        for lang, entries in entries_by_language.items():
            catalog = Catalog(locale=lang)
            for key, text in entries.items():
                context, msgid = key if isinstance(key, tuple) else (None, key)
                catalog.add(msgid, text, context=context)
            folder = directory / lang / "LC_MESSAGES"
            folder.mkdir(parents=True)
            with (folder / "messages.mo").open("wb") as f:
                write_mo(f, catalog)
        app.extensions["babel"].translation_directories = [str(directory)]
    return install


def test_the_german_interface_is_german(client, make_link):
    page = client.get(f"/f/{make_link(language='de')}")
    html = page.get_data(as_text=True)
    assert html_lang(page) == ("de", "ltr")
    assert "Seite 1 von 2" in html and ">Weiter</button>" in html and "(Pflichtfrage)" in html
    assert "Next" not in html and "Page 1" not in html


@pytest.mark.parametrize("query, cookie, link, accept, expected", [
    ("fa", "tr", "ar", "uk", "fa"),             # the choice on the page wins
    (None, "tr", "ar", "uk", "tr"),             # then the remembered choice
    (None, None, "ar", "uk", "ar"),             # then the link's language
    (None, None, "zz", "uk-UA,uk;q=0.9", "uk"),  # a link with a language we do not have: the browser's
    (None, None, "zz", "xx, yy;q=0.5", "de"),    # nothing usable: German
    ("xx", "yy", "ar", "uk", "ar"),             # unknown codes are skipped, never an error
    ("AR-sy", None, "de", None, "ar"),          # case and region do not matter
    ("prs", None, "de", None, "fa"),            # Dari
    ("ku", None, "de", None, "kmr"),            # "Kurdish" as browsers say it: Kurmanji
])
def test_the_language_is_chosen_in_order_choice_cookie_link_browser_german(client, make_link, query, cookie, link,
                                                                             accept, expected):
    token = make_link(language=link)
    if cookie:
        client.set_cookie("lang", cookie)
    page = client.get(f"/f/{token}", query_string={"lang": query} if query else None,
                      headers={"Accept-Language": accept} if accept else None)
    assert page.status_code == 200
    assert html_lang(page) == (expected, "rtl" if expected in RTL_LANGUAGES else "ltr")


def test_a_choice_is_remembered_and_an_unknown_one_is_not(client, make_link):
    token = make_link(language="de")
    first = client.get(f"/f/{token}", query_string={"lang": "uk"})
    assert "lang=uk" in first.headers["Set-Cookie"]
    assert html_lang(client.get(f"/f/{token}")) == ("uk", "ltr")
    assert "Set-Cookie" not in client.get(f"/f/{token}", query_string={"lang": "xx"}).headers


@pytest.mark.parametrize("bad", ["<script>", "x" * 500, "de\x00", "../../etc", "ar;q=1"])
def test_garbage_language_codes_never_break_a_page(client, make_link, bad):
    token = make_link(language="ar")
    client.set_cookie("lang", bad)
    page = client.get(f"/f/{token}", query_string={"lang": bad}, headers={"Accept-Language": bad})
    if "\x00" in bad:
        assert page.status_code == 400  # a control character in the address is refused (request hygiene)
        page = client.get(f"/f/{token}", headers={"Accept-Language": bad})
    assert page.status_code == 200 and html_lang(page) == ("ar", "rtl")


def test_pages_without_a_link_follow_the_browser(client):
    page = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert html_lang(page) == ("ru", "ltr")
    assert "Добро пожаловать в pro:connect" in page.get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_its_own_interface_and_direction(client, make_link, lang):
    page = client.get(f"/f/{make_link(language=lang)}")
    html = page.get_data(as_text=True)
    assert html_lang(page) == (lang, "rtl" if lang in RTL_LANGUAGES else "ltr")
    if lang != "en":
        assert ">Next</button>" not in html


def test_the_switcher_offers_every_language_by_its_native_name(client, make_link):
    html = client.get(f"/f/{make_link(language='ar')}").get_data(as_text=True)
    switcher = html[html.index('<nav class="languages"'):]
    for code, name in LANGUAGES.items():
        button = re.search(rf'<button [^>]*formaction="[^"]*\?lang={code}"[^>]*>([^<]+)</button>', switcher)
        assert button and button.group(1) == name
        assert f'lang="{code}"' in button.group(0)
    assert 'lang="ar" dir="rtl" aria-current="true"' in switcher
    assert "<img" not in switcher
    # Enter in a text box must still mean "next": the forward button comes before every language button.
    assert html.index('value="next"') < html.index('value="language"')


def test_switching_language_on_page_two_keeps_every_answer(app, filler, make_link):
    f = filler(make_link(language="de"))
    f.open()
    f.post(PAGE_ONE)
    half = {"likes_building": "3", "often__saw": "4"}
    switched = f.post(half, nav="language", query_string={"lang": "ar"})
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and html_lang(switched) == ("ar", "rtl")
    assert 'class="field-error"' not in html and 'role="alert"' not in html
    assert 'name="likes_building" value="3" checked' in html and 'name="often__saw" value="4" checked' in html
    assert '<input type="hidden" name="name" value="Sami">' in html
    assert f.post(PAGE_TWO, nav="submit").status_code == 303

    g = filler(make_link(language="de"))
    g.open()
    g.post(PAGE_ONE)
    assert g.post(PAGE_TWO, nav="submit").status_code == 303
    in_arabic, in_german = stored(app)
    assert in_arabic == in_german


def test_switching_language_on_page_one_keeps_what_was_typed(filler, make_link):
    f = filler(make_link(language="de"))
    f.open()
    switched = f.post({"name": "Sami", "trade": "wood"}, nav="language", query_string={"lang": "ti"})
    html = switched.get_data(as_text=True)
    assert html_lang(switched) == ("ti", "ltr")
    assert 'value="Sami"' in html and 'value="wood" checked' in html and 'class="field-error"' not in html


def test_a_missing_form_text_is_german_and_marked_a_translated_one_is_not(client, make_link, catalogs):
    catalogs({"ar": {("everything", "Spitzname"): "الاسم المستعار", ("everything", "Alle Feldtypen"): "كل الأنواع"},
              "de": {}})
    html = client.get(f"/f/{make_link(language='ar')}").get_data(as_text=True)
    assert '<span class="question-label">الاسم المستعار</span>' in html
    assert '<span class="question-label"><span class="untranslated" lang="de" dir="ltr">Beruf</span></span>' in html
    assert '<span class="option-label"><span class="untranslated" lang="de" dir="ltr">Holz</span></span>' in html
    assert "<title>كل الأنواع</title>" in html


def test_the_title_holds_plain_text_even_when_untranslated(client, make_link, catalogs):
    catalogs({"ar": {}})
    html = client.get(f"/f/{make_link(language='ar')}").get_data(as_text=True)
    assert "<title>Alle Feldtypen</title>" in html
    assert '<h1><span class="untranslated" lang="de" dir="ltr">Alle Feldtypen</span></h1>' in html


def test_each_consent_paragraph_is_marked_on_its_own(filler, make_link, catalogs):
    catalogs({"ar": {}})
    f = filler(make_link(language="ar"))
    f.open()
    html = f.post(PAGE_ONE).get_data(as_text=True)
    assert ('<p><span class="untranslated" lang="de" dir="ltr">Wir speichern Ihre Antworten.</span></p>'
            '<p><span class="untranslated" lang="de" dir="ltr">Sie können die Einwilligung widerrufen.</span></p>'
            in html)


def test_a_german_page_marks_nothing(client, make_link):
    assert "untranslated" not in client.get(f"/f/{make_link(language='de')}").get_data(as_text=True)


def test_interface_strings_missing_in_a_draft_fall_back_to_german_not_english(client, make_link, catalogs):
    catalogs({"ti": {"Next": "ዝቕጽል"}, "de": {"Page %(position)s of %(total)s": "Seite %(position)s von %(total)s",
                                           "(required)": "(Pflichtfrage)"}})
    html = client.get(f"/f/{make_link(language='ti')}").get_data(as_text=True)
    assert ">ዝቕጽል</button>" in html and "Seite 1 von 2" in html and "(Pflichtfrage)" in html


def test_english_keeps_its_own_words_when_a_string_is_missing(client, make_link, catalogs):
    catalogs({"en": {}, "de": {"Page %(position)s of %(total)s": "Seite %(position)s von %(total)s"}})
    html = client.get(f"/f/{make_link(language='en')}").get_data(as_text=True)
    assert "Page 1 of 2" in html and "Seite" not in html


def test_kurmanji_is_served_from_its_own_catalog(client, make_link):
    page = client.get(f"/f/{make_link(language='kmr')}")
    assert html_lang(page) == ("kmr", "ltr") and ">Pêş</button>" in page.get_data(as_text=True)


@pytest.mark.parametrize("lang, answer, message", [
    ("de", {"years": "99"}, "Bitte geben Sie eine Zahl von 0 bis 40 ein."),
    ("de", {"years": "0,3"}, "Bitte geben Sie eine Zahl in Schritten von 0,5 ein."),
    ("en", {"years": "0.3"}, "Please enter a number in steps of 0.5."),
    ("de", {"skills": ["measure", "weld", "drive"]}, "Bitte wählen Sie höchstens 2 Antworten."),
    ("ru", {"skills": ["measure", "weld", "drive"]}, "Пожалуйста, выберите не более 2 ответов."),
    ("ar", {"skills": ["measure", "weld", "drive"]}, "يرجى اختيار إجابتين على الأكثر."),
])
def test_messages_use_the_locales_numbers_and_plurals(filler, make_link, lang, answer, message):
    f = filler(make_link(language=lang))
    f.open()
    page = f.post(dict(PAGE_ONE, **answer))
    assert message in page.get_data(as_text=True)


@pytest.mark.parametrize("lang, message", [
    ("de", "Bitte geben Sie ein Datum vom 01.01.2020 bis zum 31.12.2035 ein."),
    ("en", "Please enter a date from Jan 1, 2020 to Dec 31, 2035."),
])
def test_date_limits_are_written_the_locales_way(filler, make_link, lang, message):
    f = filler(make_link(language=lang))
    f.open()
    f.post(PAGE_ONE)
    page = f.post(dict(PAGE_TWO, start="2019-12-31"), nav="submit")
    assert message in page.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["٣٫٥", "۳٫۵", "3,5", "3.5"])
def test_a_number_typed_on_an_arabic_or_persian_keyboard_is_read(app, filler, make_link, typed):
    f = filler(make_link(language="ar"))
    f.open()
    f.post(dict(PAGE_ONE, years=typed))
    assert f.post(PAGE_TWO, nav="submit").status_code == 303
    assert ("years", True, None, 3.5, None, None) in stored(app)[0]
