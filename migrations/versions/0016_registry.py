"""The registry: households and their members, person versions, change requests and merges; each person gets
a Sala identifier (SPID), matching keys of both names, an occupation and a family book number; identity
numbers are stored in one form. Existing people are backfilled: keys, SPIDs (numbered per province in order of
registration), a household each (they are its head) and their first version. On PostgreSQL the name keys get
trigram indexes (pg_trgm).

Revision ID: 0016
Revises: 0015
"""

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

from webapp.domain.khmer_names import clean_name, id_number_key, khmer_key, latin_key
from webapp.domain.spid import make_spid

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None
BATCH = 5_000  # rows per INSERT of the first versions

SNAPSHOT_FIELDS = (
    "name_km",
    "name_latin",
    "sex",
    "date_of_birth",
    "id_kind",
    "id_number",
    "family_book_number",
    "village_code",
    "occupation",
    "equity_card",
    "disability",
    "phone",
    "letter_language",
    "household_id",
)


def upgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("spid", sa.String(length=12), nullable=True))
        batch_op.add_column(
            sa.Column("name_km_key", sa.String(length=160), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("name_latin_key", sa.String(length=160), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("family_book_number", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("occupation", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_person_merged_into_id_person"), "person", ["merged_into_id"], ["id"]
        )
    _create_tables()
    rows, prepared = _backfill_people(bind)
    # SQLite rebuilds the person table here: its households and versions are written after, not before.
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.alter_column("spid", existing_type=sa.String(length=12), nullable=False)
        batch_op.alter_column("updated_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_person_spid"), ["spid"])
        batch_op.create_index(batch_op.f("ix_person_merged_into_id"), ["merged_into_id"], unique=False)
        batch_op.create_index("ix_person_id_number", ["id_number"], unique=False)
        batch_op.create_index("ix_person_family_book_number", ["family_book_number"], unique=False)
        batch_op.create_index("ix_person_village_created", ["village_code", "created_at"], unique=False)
    _insert_households(bind)
    _insert_versions(bind, rows, {row["id"]: row for row in prepared})
    # GIN trigram indexes on PostgreSQL; on SQLite the same names are plain indexes.
    op.create_index(
        "ix_person_name_km_key_trgm",
        "person",
        ["name_km_key"],
        postgresql_using="gin",
        postgresql_ops={"name_km_key": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_person_name_latin_key_trgm",
        "person",
        ["name_latin_key"],
        postgresql_using="gin",
        postgresql_ops={"name_latin_key": "gin_trgm_ops"},
    )


def _create_tables() -> None:
    op.create_table(
        "household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=8), nullable=False),
        sa.Column("family_book_number", sa.String(length=40), nullable=True),
        sa.Column("head_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["head_id"], ["person.id"], name=op.f("fk_household_head_id_person")),
        sa.ForeignKeyConstraint(["village_code"], ["area.code"], name=op.f("fk_household_village_code_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_village_code"), ["village_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_household_head_id"), ["head_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_household_family_book_number"), ["family_book_number"], unique=False
        )
    op.create_table(
        "household_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("relationship_to_head", sa.String(length=20), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_household_member_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_household_member_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_member")),
        sa.UniqueConstraint("person_id", name=op.f("uq_household_member_person_id")),
    )
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_member_household_id"), ["household_id"], unique=False)
    op.create_table(
        "person_change_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("before_json", sa.Text(), nullable=False),
        sa.Column("after_json", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_change_request_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["app_user.id"],
            name=op.f("fk_person_change_request_requested_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["app_user.id"], name=op.f("fk_person_change_request_decided_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_change_request")),
    )
    with op.batch_alter_table("person_change_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_change_request_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_person_change_request_status", ["status", "requested_at"], unique=False)
    op.create_table(
        "person_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data_json", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("change_request_id", sa.Integer(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_version_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["change_request_id"],
            ["person_change_request.id"],
            name=op.f("fk_person_version_change_request_id_person_change_request"),
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["app_user.id"], name=op.f("fk_person_version_changed_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_version")),
        sa.UniqueConstraint("person_id", "version", name="uq_person_version"),
    )
    with op.batch_alter_table("person_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_version_person_id"), ["person_id"], unique=False)
    op.create_table(
        "person_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survivor_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moved_json", sa.Text(), nullable=False),
        sa.Column("merged_by_id", sa.Integer(), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survivor_id"], ["person.id"], name=op.f("fk_person_merge_survivor_id_person")
        ),
        sa.ForeignKeyConstraint(["merged_id"], ["person.id"], name=op.f("fk_person_merge_merged_id_person")),
        sa.ForeignKeyConstraint(
            ["merged_by_id"], ["app_user.id"], name=op.f("fk_person_merge_merged_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_merge")),
        sa.UniqueConstraint("merged_id", name=op.f("uq_person_merge_merged_id")),
    )
    with op.batch_alter_table("person_merge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_merge_survivor_id"), ["survivor_id"], unique=False)
    op.create_table(
        "person_distinct",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["first_id"], ["person.id"], name=op.f("fk_person_distinct_first_id_person")),
        sa.ForeignKeyConstraint(
            ["second_id"], ["person.id"], name=op.f("fk_person_distinct_second_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["app_user.id"], name=op.f("fk_person_distinct_decided_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_distinct")),
        sa.UniqueConstraint("first_id", "second_id", name="uq_person_distinct_pair"),
    )
    with op.batch_alter_table("person_distinct", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_distinct_second_id"), ["second_id"], unique=False)


PERSON_COLUMNS = (
    "id",
    "name_km",
    "name_latin",
    "sex",
    "date_of_birth",
    "id_kind",
    "id_number",
    "village_code",
    "equity_card",
    "disability",
    "phone",
    "letter_language",
    "created_at",
)


def _backfill_people(bind: sa.Connection) -> tuple[Sequence[sa.RowMapping], list[dict[str, object]]]:
    """Keys, one-form ID numbers and SPIDs for the people already registered (and the SPID counters); a
    household each and version 1 follow once the person table is complete.

    Set-based, so it takes a few statements on a big registry: the values only Sala's Python computes (the
    name keys, the one form of ID numbers, the SPIDs' check digits) are computed in one pass and written
    through a staging table by one UPDATE; households and their heads are INSERT ... SELECT; the first
    versions are inserted in batches."""
    person = sa.table("person", *(sa.column(name) for name in PERSON_COLUMNS))
    rows = bind.execute(sa.select(person).order_by(person.c.id)).mappings().all()
    prepared, sequences = _prepared(rows)
    _update_people(bind, prepared)
    counter = sa.table("reference_counter", sa.column("scope"), sa.column("last"))
    if sequences:
        bind.execute(
            counter.insert(), [{"scope": f"spid:{code}", "last": last} for code, last in sequences.items()]
        )
    return rows, prepared


def _prepared(rows: Sequence[sa.RowMapping]) -> tuple[list[dict[str, object]], dict[str, int]]:
    """Each person's new values, in order of registration; SPIDs are numbered per province."""
    taken = {(row["id_kind"], row["id_number"]) for row in rows}
    sequences: dict[str, int] = defaultdict(int)
    prepared = []
    for row in rows:
        province = row["village_code"][:2]
        sequences[province] += 1
        number = id_number_key(row["id_number"])
        if number != row["id_number"] and ((row["id_kind"], number) in taken or not number):
            number = row["id_number"]  # another record holds the one form: kept as typed, for the review
        taken.add((row["id_kind"], number))
        name_km, name_latin = clean_name(row["name_km"]), clean_name(row["name_latin"])
        prepared.append(
            {
                "id": row["id"],
                "spid": make_spid(province, sequences[province]),
                "name_km": name_km,
                "name_latin": name_latin,
                "name_km_key": khmer_key(name_km),
                "name_latin_key": latin_key(name_latin),
                "id_number": number,
            }
        )
    return prepared, dict(sequences)


def _update_people(bind: sa.Connection, prepared: list[dict[str, object]]) -> None:
    """One UPDATE ... FROM a temporary staging table. No ID number collides on the way: a changed number
    is never one any record held before (those stay as typed)."""
    staging = sa.Table(
        "registry_backfill",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("spid", sa.String(12)),
        sa.Column("name_km", sa.String(120)),
        sa.Column("name_latin", sa.String(120)),
        sa.Column("name_km_key", sa.String(160)),
        sa.Column("name_latin_key", sa.String(160)),
        sa.Column("id_number", sa.String(40)),
        prefixes=["TEMPORARY"],
    )
    staging.create(bind)
    if prepared:
        bind.execute(staging.insert(), prepared)
    person = sa.table(
        "person", *(sa.column(name) for name in (*(c.name for c in staging.c), "created_at", "updated_at"))
    )
    values = {column.name: column for column in staging.c if column.name != "id"}
    bind.execute(
        person.update().where(person.c.id == staging.c.id).values(**values, updated_at=person.c.created_at)
    )
    staging.drop(bind)


def _insert_households(bind: sa.Connection) -> None:
    """A household per person, in order of registration, with the person as its head."""
    person = sa.table("person", sa.column("id"), sa.column("village_code"), sa.column("created_at"))
    household = sa.table(
        "household", sa.column("id"), sa.column("village_code"), sa.column("head_id"), sa.column("created_at")
    )
    member = sa.table(
        "household_member",
        sa.column("household_id"),
        sa.column("person_id"),
        sa.column("relationship_to_head"),
        sa.column("joined_at"),
    )
    heads = sa.select(person.c.village_code, person.c.id, person.c.created_at).order_by(person.c.id)
    bind.execute(household.insert().from_select(["village_code", "head_id", "created_at"], heads))
    members = sa.select(household.c.id, household.c.head_id, sa.literal("head"), household.c.created_at)
    bind.execute(
        member.insert().from_select(
            ["household_id", "person_id", "relationship_to_head", "joined_at"], members
        )
    )


def _insert_versions(
    bind: sa.Connection, rows: Sequence[sa.RowMapping], prepared: dict[object, dict[str, object]]
) -> None:
    """Version 1 of every record: the snapshot after the backfill, inserted in batches."""
    household = sa.table("household", sa.column("id"), sa.column("head_id"))
    households = {head: ident for head, ident in bind.execute(sa.select(household.c.head_id, household.c.id))}
    version = sa.table(
        "person_version",
        sa.column("person_id"),
        sa.column("version"),
        sa.column("data_json"),
        sa.column("reason"),
        sa.column("recorded_at"),
    )
    entries = []
    for row in rows:
        new = prepared[row["id"]]
        snapshot = {field: row.get(field) for field in SNAPSHOT_FIELDS}
        snapshot |= {
            "name_km": new["name_km"],
            "name_latin": new["name_latin"],
            "id_number": new["id_number"],
            "household_id": households[row["id"]],
            "disability": bool(row["disability"]),
        }
        snapshot = {key: _json_value(value) for key, value in snapshot.items()}
        entries.append(
            {
                "person_id": row["id"],
                "version": 1,
                "data_json": json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
                "reason": "Registered before the registry kept versions",
                "recorded_at": row["created_at"],
            }
        )
    for start in range(0, len(entries), BATCH):
        bind.execute(version.insert(), entries[start : start + BATCH])


def _json_value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def downgrade() -> None:
    op.drop_index("ix_person_name_latin_key_trgm", table_name="person")
    op.drop_index("ix_person_name_km_key_trgm", table_name="person")
    op.drop_table("person_distinct")
    op.drop_table("person_merge")
    op.drop_table("person_version")
    op.drop_table("person_change_request")
    op.drop_table("household_member")
    op.drop_table("household")
    op.execute("DELETE FROM reference_counter WHERE scope LIKE 'spid:%'")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_village_created")
        batch_op.drop_index("ix_person_family_book_number")
        batch_op.drop_index("ix_person_id_number")
        batch_op.drop_index(batch_op.f("ix_person_merged_into_id"))
        batch_op.drop_constraint(batch_op.f("uq_person_spid"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_person_merged_into_id_person"), type_="foreignkey")
        for column in (
            "updated_at",
            "merged_into_id",
            "version",
            "occupation",
            "family_book_number",
            "name_latin_key",
            "name_km_key",
            "spid",
        ):
            batch_op.drop_column(column)
