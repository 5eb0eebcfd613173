"""The use of each programme (periods, days worked or fed) and uploaded household lists being imported.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programme_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("programme_code", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_programme_use_period")
        ),
        sa.CheckConstraint("days IS NULL OR days >= 0", name=op.f("ck_programme_use_days")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_programme_use_person_id_person")),
        sa.ForeignKeyConstraint(
            ["programme_code"], ["programme.code"], name=op.f("fk_programme_use_programme_code_programme")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["app_user.id"], name=op.f("fk_programme_use_recorded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_use")),
    )
    with op.batch_alter_table("programme_use", schema=None) as batch_op:
        batch_op.create_index("ix_programme_use_person", ["person_id", "start_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_programme_use_programme_code"), ["programme_code"], unique=False)

    op.create_table(
        "registry_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("commune_code", sa.String(length=8), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("rows_json", sa.Text(), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("valid_rows", sa.Integer(), nullable=False),
        sa.Column("processed_rows", sa.Integer(), nullable=False),
        sa.Column("created_people", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_code"], ["area.code"], name=op.f("fk_registry_import_commune_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["app_user.id"], name=op.f("fk_registry_import_uploaded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_import")),
    )
    with op.batch_alter_table("registry_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registry_import_commune_code"), ["commune_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_registry_import_uploaded_by_id"), ["uploaded_by_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("registry_import")
    op.drop_table("programme_use")
