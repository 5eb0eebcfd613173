"""Trust: sign-in attempts, per-user session version and password flags, letter verification tokens, the
public look-up window, letter batch tokens and the user administration audit

Revision ID: 0009
Revises: 0008
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("process_owner", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    _letter_tokens()
    op.create_table(
        "sign_in_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempt")),
    )
    op.create_index("ix_sign_in_attempt_username_at", "sign_in_attempt", ["username", "at"])
    op.create_index("ix_sign_in_attempt_client_hash_at", "sign_in_attempt", ["client_hash", "at"])
    op.create_table(
        "public_lookup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page", sa.String(length=20), nullable=False),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_lookup")),
    )
    op.create_index("ix_public_lookup_page_client_hash_at", "public_lookup", ["page", "client_hash", "at"])
    op.create_index(op.f("ix_public_lookup_at"), "public_lookup", ["at"])
    op.create_table(
        "letter_batch",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name=op.f("fk_letter_batch_job_id_job")),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["app_user.id"], name=op.f("fk_letter_batch_requested_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_letter_batch")),
        sa.UniqueConstraint("job_id", name=op.f("uq_letter_batch_job_id")),
    )
    op.create_index(op.f("ix_letter_batch_requested_by_id"), "letter_batch", ["requested_by_id"])
    op.create_table(
        "admin_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("before_json", sa.Text(), nullable=True),
        sa.Column("after_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], name=op.f("fk_admin_audit_actor_id_app_user")),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["app_user.id"], name=op.f("fk_admin_audit_subject_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_audit")),
    )
    op.create_index(op.f("ix_admin_audit_actor_id"), "admin_audit", ["actor_id"])
    op.create_index(op.f("ix_admin_audit_subject_id"), "admin_audit", ["subject_id"])
    op.create_index(op.f("ix_admin_audit_at"), "admin_audit", ["at"])


def _letter_tokens() -> None:
    """Letters issued before this migration get a token too; their printed QR keeps the old address, which
    now shows nothing personal and asks for the token."""
    op.add_column("letter", sa.Column("verify_token", sa.String(length=32), nullable=True))
    letter = sa.table("letter", sa.column("id", sa.Integer()), sa.column("verify_token", sa.String()))
    connection = op.get_bind()
    for (letter_id,) in connection.execute(sa.select(letter.c.id)).all():
        connection.execute(
            letter.update().where(letter.c.id == letter_id).values(verify_token=secrets.token_urlsafe(16))
        )
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.alter_column("verify_token", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_letter_verify_token"), ["verify_token"])


def downgrade() -> None:
    op.drop_table("admin_audit")
    op.drop_table("letter_batch")
    op.drop_table("public_lookup")
    op.drop_table("sign_in_attempt")
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_letter_verify_token"), type_="unique")
        batch_op.drop_column("verify_token")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("process_owner")
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("session_version")
