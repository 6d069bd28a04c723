"""multiple choice places: each chosen value's row numbered 1, 2, ... so a report counts the people from its tally

Revision ID: 0029_multiple_choice_places
Revises: 0028_answer_cohort
Create Date: 2026-12-07 13:40:00

A multiple choice stores one answer row per chosen value. A report counted the people who chose something with
``count(DISTINCT response_id)`` per question: a second pass over the choices' rows, which PostgreSQL sorts
without parallel workers (1.2 s of a 100,000-check report). ``MultipleType.rows`` now numbers the rows in
``value_num`` (the place among the values chosen): the rows numbered 1 are the people, counted in the one
grouped pass. This numbers the rows stored before, in the order they were stored.

Which questions are multiple choices only the form definitions know: each (form, version) answered is looked up
in the app's forms registry (shipped and instance forms) and its types are asked. A version whose definition
is gone is left as it is; its report cannot be built anyway.
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app


# revision identifiers, used by Alembic.
revision = '0029_multiple_choice_places'
down_revision = '0028_answer_cohort'
branch_labels = None
depends_on = None

#: The rows of one version's multiple choices: stored values (a hidden question's row has none).
ROWS = ('answer.field_id IN :names AND answer.value_text IS NOT NULL '
        'AND answer.response_id IN (SELECT id FROM response WHERE form_id = :form_id AND version = :version)')


def _multiple_choices():
    """(form id, version, names of its multiple choices) of every version with stored responses."""
    from proconnect.definitions import forms_registry
    from proconnect.fieldtypes import field_type

    registry = forms_registry(current_app)
    answered = op.get_bind().execute(sa.text('SELECT DISTINCT form_id, version FROM response')).all()
    for form_id, version in answered:
        definition = registry.get(form_id, version)
        names = [f.id for f in definition.answer_fields
                 if field_type(f).aggregation == 'multi'] if definition else []
        if names:
            yield form_id, version, names


def _execute(sql: str, form_id: str, version: int, names: list[str]) -> None:
    statement = sa.text(sql).bindparams(sa.bindparam('names', expanding=True))
    op.get_bind().execute(statement, {'names': names, 'form_id': form_id, 'version': version})


def upgrade():
    for form_id, version, names in list(_multiple_choices()):
        # A row's place: how many of its response's rows for the question were stored up to it.
        _execute('UPDATE answer SET value_num = (SELECT count(*) FROM answer AS earlier '
                 'WHERE earlier.response_id = answer.response_id AND earlier.field_id = answer.field_id '
                 'AND earlier.value_text IS NOT NULL AND earlier.id <= answer.id) WHERE ' + ROWS,
                 form_id, version, names)


def downgrade():
    for form_id, version, names in list(_multiple_choices()):
        _execute('UPDATE answer SET value_num = NULL WHERE ' + ROWS, form_id, version, names)
