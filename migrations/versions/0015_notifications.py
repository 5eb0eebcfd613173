"""Notifications for officers, their channel preferences, outbound e-mail and SMS, and document thumbnails

Revision ID: 0015
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id", name="fk_notification_user_id_app_user"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_file.id", name="fk_notification_case_id_case_file"), nullable=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("task.id", name="fk_notification_task_id_task"), nullable=True),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("task_name", sa.String(200), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notification"),
    )
    op.create_index("ix_notification_unread", "notification", ["user_id", "read_at", "created_at"])
    op.create_index("ix_notification_case_id", "notification", ["case_id"])
    op.create_index("ix_notification_task_id", "notification", ["task_id"])
    op.create_table(
        "notification_preference",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id", name="fk_notification_preference_user_id_app_user"), nullable=False),
        sa.Column("email", sa.String(200), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("by_email", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("by_sms", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_notification_preference"),
    )
    op.create_table(
        "outbound_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("notification_id", sa.Integer(), sa.ForeignKey("notification.id", name="fk_outbound_message_notification_id_notification"), nullable=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_file.id", name="fk_outbound_message_case_id_case_file"), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("gateway", sa.String(40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbound_message"),
    )
    op.create_index("ix_outbound_message_notification_id", "outbound_message", ["notification_id"])
    op.create_index("ix_outbound_message_case_id", "outbound_message", ["case_id"])
    op.create_table(
        "document_thumbnail",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("document_blob.sha256", name="fk_document_thumbnail_sha256_document_blob"), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_document_thumbnail"),
    )


def downgrade() -> None:
    op.drop_table("document_thumbnail")
    op.drop_table("outbound_message")
    op.drop_table("notification_preference")
    op.drop_table("notification")
