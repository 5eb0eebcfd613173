"""The people search's name tokens: one row per word of a live person's names (the folded Khmer words, the
whole Khmer key, the Latin key's words) with the person's village, under a btree (token in the C collation on
PostgreSQL, then village), so that a name search is word lookups inside the reader's area.

The backfill is set-based: the tokens of each distinct pair of names are computed once (the folding rules are
Python's), stored in a temporary table, and joined to every live person in one INSERT ... SELECT. On
PostgreSQL the keys and the foreign key are added after the load.

Revision ID: 0023
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

from webapp.domain.khmer_names import name_tokens

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None
BATCH = 10_000  # rows per INSERT into the temporary table of names and their tokens
TOKEN = sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    constraints: list[sa.schema.SchemaItem] = [] if postgres else _constraints()
    op.create_table(
        "person_name_token",
        sa.Column("token", TOKEN, nullable=False),
        sa.Column("village_code", sa.String(length=8), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        *constraints,
    )
    backfill(op.get_bind())
    if postgres:
        op.create_primary_key(
            "pk_person_name_token", "person_name_token", ["token", "village_code", "person_id"]
        )
        op.create_foreign_key(
            "person_name_token_person_id_fkey", "person_name_token", "person", ["person_id"], ["id"]
        )
    op.create_index("ix_person_name_token_person", "person_name_token", ["person_id"])


def _constraints() -> list[sa.schema.SchemaItem]:
    return [
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("token", "village_code", "person_id", name="pk_person_name_token"),
    ]


def backfill(connection: sa.Connection) -> int:
    """Tokens for every live person, in three statements and a batched load of the distinct names' tokens;
    the number of people's names read. (The registry bench calls it after its COPY of a million people.)"""
    names = connection.execute(
        sa.text("SELECT DISTINCT name_km, name_latin FROM person WHERE merged_into_id IS NULL")
    ).all()
    connection.execute(
        sa.text(
            "CREATE TEMPORARY TABLE name_token_source (name_km VARCHAR, name_latin VARCHAR, token VARCHAR)"
        )
    )
    rows = [
        {"name_km": km, "name_latin": latin, "token": token}
        for km, latin in names
        for token in name_tokens(km, latin)
    ]
    statement = sa.text("INSERT INTO name_token_source VALUES (:name_km, :name_latin, :token)")
    for start in range(0, len(rows), BATCH):
        connection.execute(statement, rows[start : start + BATCH])
    connection.execute(
        sa.text("CREATE INDEX ix_name_token_source ON name_token_source (name_km, name_latin)")
    )
    connection.execute(
        sa.text(
            "INSERT INTO person_name_token (token, village_code, person_id) "
            "SELECT source.token, person.village_code, person.id FROM person "
            "JOIN name_token_source source "
            "ON source.name_km = person.name_km AND source.name_latin = person.name_latin "
            "WHERE person.merged_into_id IS NULL"
        )
    )
    connection.execute(sa.text("DROP TABLE name_token_source"))
    return len(names)


def downgrade() -> None:
    op.drop_index("ix_person_name_token_person", table_name="person_name_token")
    op.drop_table("person_name_token")
