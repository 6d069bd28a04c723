"""link view state: one number that moves whenever a link, a participant card or a pinned version changes

Revision ID: 0022_link_view_state
Revises: 0021_company_aliases
Create Date: 2026-12-07 07:50:00

Each worker keeps a copy of the links it serves (``proconnect.links.linkview``) and drops them when
``link_view_state.generation`` moved. Triggers move it to a new random number in the same transaction as any
insert, update or delete of ``link``, ``participant`` (whether a cohort has cards) and ``form_version`` (the
pins), whoever writes: the app, the command line, a cascade, plain SQL. Random, not counted up: a restored
backup never brings back a number a worker already holds. On PostgreSQL the triggers are deferred to the
commit, so the one row is locked only for the moment of committing (no lock order with the rows themselves).
SQLite's link trigger leaves out updates that change nothing: storing into a limited link writes
``max_responses = max_responses`` to take the database's write lock.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_link_view_state'
down_revision = '0021_company_aliases'
branch_labels = None
depends_on = None

TABLES = ('link', 'participant', 'form_version')
#: Every column of ``link`` (tests/test_link_view.py checks this against the model).
LINK_COLUMNS = ('id', 'token', 'form_id', 'version', 'cohort_id', 'language', 'event', 'kiosk', 'kiosk_pin_hash',
                'kiosk_reset_seconds', 'opens_at', 'closes_at', 'max_responses', 'test', 'revoked_at', 'company_id',
                'opened_at', 'created_at')
# An UPDATE, not INSERT OR REPLACE: a trigger takes the outer statement's conflict clause (INSERT OR IGNORE).
_SQLITE_MOVE = "UPDATE link_view_state SET generation = random() WHERE id = 1;"


def upgrade():
    op.create_table(
        'link_view_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('generation', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("INSERT INTO link_view_state (id, generation) VALUES (1, 0)")
        # An upsert: a test suite's TRUNCATE (or a hand) may have emptied the table.
        op.execute("""
            CREATE FUNCTION link_view_moved() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO link_view_state (id, generation)
                VALUES (1, floor(random() * 9007199254740991)::bigint)
                ON CONFLICT (id) DO UPDATE SET generation = excluded.generation;
                RETURN NULL;
            END $$""")
        for table in TABLES:
            op.execute(f"CREATE CONSTRAINT TRIGGER link_view_{table}_added AFTER INSERT OR DELETE ON {table} "
                       f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION link_view_moved()")
            op.execute(f"CREATE CONSTRAINT TRIGGER link_view_{table}_changed AFTER UPDATE ON {table} "
                       f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) "
                       f"EXECUTE FUNCTION link_view_moved()")
    else:
        op.execute("INSERT INTO link_view_state (id, generation) VALUES (1, random())")
        for table in TABLES:
            for event in ('INSERT', 'DELETE'):
                op.execute(f"CREATE TRIGGER link_view_{table}_{event.lower()} AFTER {event} ON {table} "
                           f"BEGIN {_SQLITE_MOVE} END")
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in LINK_COLUMNS)
        op.execute(f"CREATE TRIGGER link_view_link_update AFTER UPDATE ON link WHEN {changed} "
                   f"BEGIN {_SQLITE_MOVE} END")
        for table in ('participant', 'form_version'):
            op.execute(f"CREATE TRIGGER link_view_{table}_update AFTER UPDATE ON {table} BEGIN {_SQLITE_MOVE} END")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f"DROP TRIGGER link_view_{table}_added ON {table}")
            op.execute(f"DROP TRIGGER link_view_{table}_changed ON {table}")
        op.execute("DROP FUNCTION link_view_moved()")
    else:
        for table in TABLES:
            for event in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER link_view_{table}_{event}")
    op.drop_table('link_view_state')
