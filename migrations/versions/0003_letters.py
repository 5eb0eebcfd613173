"""Issued letters and their archived PDFs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 06:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_letter_blob")),
    )
    op.create_table(
        "letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=4), nullable=False),
        sa.Column("template_version", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("fields_json", sa.Text(), nullable=False),
        sa.Column("office_code", sa.String(length=8), nullable=False),
        sa.Column("recipient_initials", sa.String(length=20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("delivered_at", sa.Date(), nullable=True),
        sa.Column("delivered_how", sa.String(length=20), nullable=True),
        sa.Column("delivered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_letter_case_id_case_file")),
        sa.ForeignKeyConstraint(["corrects_id"], ["letter.id"], name=op.f("fk_letter_corrects_id_letter")),
        sa.ForeignKeyConstraint(
            ["delivered_by_id"], ["app_user.id"], name=op.f("fk_letter_delivered_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(["issued_by_id"], ["app_user.id"], name=op.f("fk_letter_issued_by_id_app_user")),
        sa.ForeignKeyConstraint(["office_code"], ["area.code"], name=op.f("fk_letter_office_code_area")),
        sa.ForeignKeyConstraint(["sha256"], ["letter_blob.sha256"], name=op.f("fk_letter_sha256_letter_blob")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter")),
        sa.UniqueConstraint("reference", name=op.f("uq_letter_reference")),
    )
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letter_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_letter_office_code"), ["office_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_office_code"))
        batch_op.drop_index(batch_op.f("ix_letter_case_id"))
    op.drop_table("letter")
    op.drop_table("letter_blob")
