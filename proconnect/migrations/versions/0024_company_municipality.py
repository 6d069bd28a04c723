"""company municipality: a company's place from the one list of Gemeinden (travel times in matching)

Typed places that clearly name a Gemeinde become its value and the typed text is cleared; any other text stays
in ``place`` and the record shows it as "not on the list" for a coordinator to choose.

Revision ID: 0024_company_municipality
Revises: 0023_sealed_two_factor
Create Date: 2026-12-07 08:00:00

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_company_municipality'
down_revision = '0023_sealed_two_factor'
branch_labels = None
depends_on = None

# The list as it stood when this migration was written (competence check v3's `municipality`): a migration
# never reads the application's current list, which may change after it ran.
GEMEINDEN = {
    "oldenburg_city": "Stadt Oldenburg", "delmenhorst": "Stadt Delmenhorst", "apen": "Apen",
    "bad_zwischenahn": "Bad Zwischenahn", "edewecht": "Edewecht", "rastede": "Rastede", "westerstede": "Westerstede",
    "wiefelstede": "Wiefelstede", "doetlingen": "Dötlingen", "ganderkesee": "Ganderkesee",
    "grossenkneten": "Großenkneten", "harpstedt": "Harpstedt", "hatten": "Hatten", "hude": "Hude",
    "wardenburg": "Wardenburg", "wildeshausen": "Wildeshausen"}
NOISE = frozenset("stadt gemeinde samtgemeinde landkreis lk kreis oldb i o in".split())


def _key(text):
    folded = unicodedata.normalize("NFKD", (text or "").casefold().replace("ß", "ss"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(w for w in re.findall(r"[^\W_]+", plain) if w not in NOISE)


def _match(text):
    key = _key(text)
    for value, label in GEMEINDEN.items():
        if key and key in (_key(label), _key(value.replace("_city", ""))):
            return value
    return None


def upgrade():
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('municipality', sa.String(length=40), nullable=True))
    company = sa.table('company', sa.column('id', sa.Integer), sa.column('place', sa.String),
                       sa.column('municipality', sa.String))
    bind = op.get_bind()
    for cid, place in bind.execute(sa.select(company.c.id, company.c.place)).all():
        value = _match(place)
        if value is not None:
            bind.execute(company.update().where(company.c.id == cid).values(municipality=value, place=""))


def downgrade():
    company = sa.table('company', sa.column('id', sa.Integer), sa.column('place', sa.String),
                       sa.column('municipality', sa.String))
    bind = op.get_bind()
    for cid, value in bind.execute(sa.select(company.c.id, company.c.municipality)
                                   .where(company.c.municipality.is_not(None))).all():
        bind.execute(company.update().where(company.c.id == cid).values(place=GEMEINDEN.get(value, "Woanders" if value == "other" else value)))
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('municipality')
