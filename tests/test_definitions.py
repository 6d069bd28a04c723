"""Form definitions: what `proconnect forms check` accepts, and the exact message for each mistake."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from proconnect.definitions import DefinitionError, ErrorCode, load_definition
from proconnect.definitions.errors import WarningCode
from proconnect.definitions.registry import load_registry, scan_forms

HEAD = '[form]\nid = "f"\nversion = 1\ntitle = "T"\n'


def write(root: Path, body: str, form_id="f", name="v1.toml", head=HEAD) -> Path:
    path = root / "forms" / form_id / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


def problems(tmp_path, body, **kw) -> list[tuple[int, str, str]]:
    write(tmp_path, body, **kw)
    _registry, found = scan_forms(tmp_path / "forms")
    return [(p.line, p.field, p.message) for p in found]


def msg(code: ErrorCode, **kw) -> str:
    return code.format(**kw)


def test_a_valid_definition_becomes_a_form_model(forms_dir):
    registry = load_registry(forms_dir)
    everything = registry.get("everything")
    assert everything.version == 1 and everything.title == "Alle Feldtypen"
    assert [p.title for p in everything.pages] == ["Alle Feldtypen", "Seite zwei"]
    assert everything.field("trade").choices[0].image == "img/metal.svg"
    assert everything.field("often").answer_names() == ["often.saw", "often.drill"]
    assert everything.field("metal_detail").condition == ["==", ["field", "trade"], ["lit", "metal"]]
    assert registry.get("survey").version == 2 and registry.get("survey", 1).version == 1
    assert len(everything.content_hash) == 64


def test_a_page_condition_applies_to_every_field_on_the_page(tmp_path):
    write(tmp_path, '''
        [[fields]]
        id = "trades"
        type = "multiple"
        label = "Berufe"
        choices = [{ value = "metal", label = "Metall" }, { value = "wood", label = "Holz" }]
        [[fields]]
        id = "metal_page"
        type = "page"
        label = "Metall"
        show_if = "'metal' in trades"
        [[fields]]
        id = "weld"
        type = "yesno"
        label = "Schweißen?"
    ''')
    definition = load_registry(tmp_path / "forms").get("f")
    assert definition.field("weld").condition == ["in", ["lit", "metal"], ["field", "trades"]]
    assert [len(p.fields) for p in definition.pages] == [1, 2]


def test_the_content_hash_ignores_line_endings():
    from proconnect.definitions.loader import content_hash
    unix = b'[form]\nid = "f"\n'
    assert content_hash(unix) == content_hash(unix.replace(b"\n", b"\r\n"))
    assert content_hash(unix) != content_hash(unix.replace(b"f", b"g"))


def test_a_toml_syntax_error_names_file_and_line(tmp_path):
    [(line, field, message)] = problems(tmp_path, '[[fields]]\nid = "a\n')
    assert line == 6 and field == "" and message.startswith("TOML syntax error: ")


@pytest.mark.parametrize("body, expected", [
    ('[[fields]]\nid = "a"\ntype = "text"\nlabl = "A"\n',
     [(8, "a", msg(ErrorCode.KEY_001, key="labl", hint=", did you mean 'label'?")),
      (5, "a", msg(ErrorCode.KEY_002, key="label"))]),
    ('[[fields]]\nid = "a"\ntype = "text"\nlabel = "A"\nrequired = "yes"\n',
     [(9, "a", msg(ErrorCode.KEY_003, key="required", expected="true or false", got="yes"))]),
    ('[[fields]]\nid = "a"\ntype = "txt"\nlabel = "A"\n',
     [(7, "a", msg(ErrorCode.TYPE_001, got="txt", expected="text, longtext, number, single, multiple, scale, "
                                                           "yesno, date, matrix, consent, note, page, record"))]),
    ('[[fields]]\nid = "Alter Wert"\ntype = "text"\nlabel = "A"\n',
     [(6, "Alter Wert", msg(ErrorCode.ID_001, got="Alter Wert"))]),
    ('[[fields]]\nid = "a"\ntype = "text"\nlabel = "A"\n[[fields]]\nid = "a"\ntype = "number"\nlabel = "B"\n',
     [(10, "a", msg(ErrorCode.ID_002, got="a", first_line=6))]),
    ('[[fields]]\nid = "a"\ntype = "single"\nlabel = "A"\nchoices = [{ value = "Ja!", label = "Ja" }, '
     '{ value = "no", label = "Nein" }]\n',
     [(9, "a", msg(ErrorCode.CHOICE_001, got="Ja!"))]),
    ('[[fields]]\nid = "a"\ntype = "single"\nlabel = "A"\nchoices = [{ value = "x", label = "X" }, '
     '{ value = "x", label = "Y" }]\n',
     [(9, "a", msg(ErrorCode.CHOICE_002, got="x"))]),
    ('[[fields]]\nid = "a"\ntype = "single"\nlabel = "A"\nchoices = [{ value = "x", label = "X" }]\n',
     [(9, "a", msg(ErrorCode.CHOICE_003, type="single", minimum=2, got=1))]),
    ('[[fields]]\nid = "a"\ntype = "number"\nlabel = "A"\nmin = 10\nmax = 1\n',
     [(10, "a", msg(ErrorCode.LIMIT_001, low_key="min", low=10, high_key="max", high=1))]),
    ('[[fields]]\nid = "a"\ntype = "scale"\nlabel = "A"\npoints = 12\n',
     [(9, "a", msg(ErrorCode.KEY_003, key="points", expected="a whole number from 2 to 11", got=12))]),
    ('[[fields]]\nid = "a"\ntype = "single"\nlabel = "A"\nimage = "../../etc/passwd"\n'
     'choices = [{ value = "x", label = "X" }, { value = "y", label = "Y" }]\n',
     [(9, "a", msg(ErrorCode.KEY_003, key="image", expected="a file inside f/", got="../../etc/passwd"))]),
])
def test_each_mistake_in_a_field_gets_its_own_message(tmp_path, body, expected):
    assert problems(tmp_path, body) == expected


@pytest.mark.parametrize("condition, expected", [
    ("a ==", msg(ErrorCode.COND_001, detail="expected a field, a value or '(', got end of expression")),
    ("nobody == 1", msg(ErrorCode.COND_002, name="nobody")),
    ("c == 1", msg(ErrorCode.COND_003, name="c")),
    ("intro == 1", msg(ErrorCode.COND_004, name="intro", type="note")),
])
def test_show_if_mistakes_are_explained(tmp_path, condition, expected):
    body = f'''
        [[fields]]
        id = "a"
        type = "number"
        label = "A"
        [[fields]]
        id = "intro"
        type = "note"
        text = "Hallo"
        [[fields]]
        id = "b"
        type = "text"
        label = "B"
        show_if = "{condition}"
        [[fields]]
        id = "c"
        type = "number"
        label = "C"
    '''
    assert problems(tmp_path, body) == [(18, "b", expected)]


@pytest.mark.parametrize("score, expected", [
    ('items = ["ghost"]', msg(ErrorCode.SCORE_001, item="ghost")),
    ('items = ["name"]', msg(ErrorCode.SCORE_002, item="name", type="text")),
    ('items = ["m"]', msg(ErrorCode.SCORE_002, item="m", type="matrix (whole)")),
    ('items = ["s"]\nreverse = ["n"]', msg(ErrorCode.SCORE_004, item="n")),
    ('items = ["s", "n"]\nreverse = ["n"]', msg(ErrorCode.SCORE_005, item="n", type="number")),
])
def test_scores_can_only_use_numeric_answers(tmp_path, score, expected):
    body = f'''
        [[fields]]
        id = "name"
        type = "text"
        label = "Name"
        [[fields]]
        id = "s"
        type = "scale"
        label = "S"
        points = 3
        [[fields]]
        id = "n"
        type = "number"
        label = "N"
        [[fields]]
        id = "m"
        type = "matrix"
        label = "M"
        points = 3
        rows = [{{ id = "r", label = "R" }}]
        [[scores]]
        id = "total"
        label = "Total"
        method = "sum"
    ''' + score + "\n"
    [(line, field, message)] = problems(tmp_path, body)
    assert (field, message) == ("total", expected)


def test_a_wrong_score_method(tmp_path):
    body = '[[fields]]\nid = "s"\ntype = "scale"\nlabel = "S"\npoints = 3\n' \
           '[[scores]]\nid = "t"\nlabel = "T"\nmethod = "median"\nitems = ["s"]\n'
    assert problems(tmp_path, body) == [(13, "t", msg(ErrorCode.SCORE_003, expected="sum, mean", got="median"))]


def test_file_name_form_id_and_version_must_agree(tmp_path):
    write(tmp_path, '[[fields]]\nid = "a"\ntype = "text"\nlabel = "A"\n', form_id="other", name="v2.toml")
    write(tmp_path, '[[fields]]\nid = "a"\ntype = "text"\nlabel = "A"\n', form_id="f", name="version3.toml")
    _registry, found = scan_forms(tmp_path / "forms")
    assert sorted((p.path, p.line, p.message) for p in found) == sorted([
        ("forms/f/version3.toml", 1, msg(ErrorCode.FILE_001, name="version3.toml")),
        ("forms/other/v2.toml", 2, msg(ErrorCode.FILE_002, got="f", expected="other")),
        ("forms/other/v2.toml", 3, msg(ErrorCode.FILE_003, got=1, expected=2)),
    ])


def test_a_missing_forms_folder_is_reported(tmp_path):
    _registry, [problem] = scan_forms(tmp_path / "nowhere")
    assert problem.message == msg(ErrorCode.FILE_004, path=tmp_path / "nowhere")


def test_all_problems_of_a_file_are_reported_at_once(tmp_path):
    body = '[[fields]]\nid = "A"\ntype = "text"\nlabel = "A"\n[[fields]]\nid = "b"\ntype = "txt"\nlabel = "B"\n'
    write(tmp_path, body)
    _registry, found = scan_forms(tmp_path / "forms")
    assert [p.code for p in found] == [ErrorCode.ID_001, ErrorCode.TYPE_001]
    with pytest.raises(DefinitionError) as exc:
        load_registry(tmp_path / "forms")
    assert len(exc.value.problems) == 2
    assert str(exc.value).splitlines()[0].startswith("forms/f/v1.toml:6: A: ")


SCALE_V1 = '[[fields]]\nid = "mood"\ntype = "scale"\nlabel = "Stimmung"\npoints = 3\n' \
           '[[fields]]\nid = "trade"\ntype = "single"\nlabel = "Beruf"\n' \
           'choices = [{ value = "metal", label = "Metall" }, { value = "wood", label = "Holz" }]\n'


@pytest.mark.parametrize("v2, expected", [
    (SCALE_V1.replace('type = "scale"', 'type = "number"').replace("points = 3\n", ""),
     msg(ErrorCode.VER_001, field="mood", old="scale", old_version=1)),
    (SCALE_V1.replace("points = 3", "points = 5"),
     msg(ErrorCode.VER_002, field="mood", old="3 points", old_version=1, new="5 points")),
])
def test_a_field_id_keeps_its_meaning_across_versions(tmp_path, v2, expected):
    write(tmp_path, SCALE_V1)
    write(tmp_path, v2, name="v2.toml", head=HEAD.replace("version = 1", "version = 2"))
    _registry, found = scan_forms(tmp_path / "forms")
    assert [(p.path, p.field, p.message) for p in found] == [("forms/f/v2.toml", "mood", expected)]


def test_a_new_version_may_add_remove_and_reword_fields(tmp_path):
    write(tmp_path, SCALE_V1)
    v2 = SCALE_V1.replace('"Stimmung"', '"Wie geht es Ihnen?"').replace('label = "Holz"', 'label = "Holz und Möbel"')
    v2 += '[[fields]]\nid = "licence"\ntype = "yesno"\nlabel = "Führerschein?"\n'
    write(tmp_path, v2, name="v2.toml", head=HEAD.replace("version = 1", "version = 2"))
    registry, found = scan_forms(tmp_path / "forms")
    assert found == []
    assert [(w.code, w.field) for w in registry.warnings] == [(WarningCode.WARN_001, "trade")]
