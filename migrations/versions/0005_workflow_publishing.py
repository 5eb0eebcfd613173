"""Workflow publishing: version status and lineage, drafts, publishing audit, case migrations

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-21 06:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workflow_version", schema=None) as batch_op:
        # Every version deployed before this migration served new cases: it is published.
        batch_op.add_column(
            sa.Column("status", sa.String(length=10), server_default=sa.text("'published'"), nullable=False)
        )
        batch_op.add_column(sa.Column("parent_version_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("change_note", sa.String(length=500), server_default=sa.text("''"), nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_workflow_version_parent_version_id_workflow_version"),
            "workflow_version",
            ["parent_version_id"],
            ["id"],
        )
    op.create_table(
        "workflow_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.String(length=80), nullable=False),
        sa.Column("parent_version_id", sa.Integer(), nullable=False),
        sa.Column("bpmn_xml", sa.Text(), nullable=False),
        sa.Column("change_note", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("published_version_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["app_user.id"], name=op.f("fk_workflow_draft_created_by_id_app_user")),
        sa.ForeignKeyConstraint(["parent_version_id"], ["workflow_version.id"], name=op.f("fk_workflow_draft_parent_version_id_workflow_version")),
        sa.ForeignKeyConstraint(["published_version_id"], ["workflow_version.id"], name=op.f("fk_workflow_draft_published_version_id_workflow_version")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["app_user.id"], name=op.f("fk_workflow_draft_updated_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_draft")),
    )
    with op.batch_alter_table("workflow_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workflow_draft_process_id"), ["process_id"], unique=False)
    op.create_table(
        "workflow_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("detail_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], name=op.f("fk_workflow_event_actor_id_app_user")),
        sa.ForeignKeyConstraint(["draft_id"], ["workflow_draft.id"], name=op.f("fk_workflow_event_draft_id_workflow_draft")),
        sa.ForeignKeyConstraint(["version_id"], ["workflow_version.id"], name=op.f("fk_workflow_event_version_id_workflow_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_event")),
    )
    with op.batch_alter_table("workflow_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workflow_event_process_id"), ["process_id"], unique=False)
    op.create_table(
        "case_migration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_version_id", sa.Integer(), nullable=False),
        sa.Column("to_version_id", sa.Integer(), nullable=False),
        sa.Column("previous_state", sa.Text(), nullable=False),
        sa.Column("previous_state_version", sa.Integer(), nullable=False),
        sa.Column("case_row_version", sa.Integer(), nullable=False),
        sa.Column("migrated_by_id", sa.Integer(), nullable=False),
        sa.Column("migrated_at", sa.DateTime(), nullable=False),
        sa.Column("reverted_by_id", sa.Integer(), nullable=True),
        sa.Column("reverted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_case_migration_case_id_case_file")),
        sa.ForeignKeyConstraint(["from_version_id"], ["workflow_version.id"], name=op.f("fk_case_migration_from_version_id_workflow_version")),
        sa.ForeignKeyConstraint(["migrated_by_id"], ["app_user.id"], name=op.f("fk_case_migration_migrated_by_id_app_user")),
        sa.ForeignKeyConstraint(["reverted_by_id"], ["app_user.id"], name=op.f("fk_case_migration_reverted_by_id_app_user")),
        sa.ForeignKeyConstraint(["to_version_id"], ["workflow_version.id"], name=op.f("fk_case_migration_to_version_id_workflow_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_migration")),
    )
    with op.batch_alter_table("case_migration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_migration_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_migration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_migration_case_id"))
    op.drop_table("case_migration")
    with op.batch_alter_table("workflow_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workflow_event_process_id"))
    op.drop_table("workflow_event")
    with op.batch_alter_table("workflow_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workflow_draft_process_id"))
    op.drop_table("workflow_draft")
    with op.batch_alter_table("workflow_version", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_workflow_version_parent_version_id_workflow_version"), type_="foreignkey"
        )
        batch_op.drop_column("change_note")
        batch_op.drop_column("parent_version_id")
        batch_op.drop_column("status")
