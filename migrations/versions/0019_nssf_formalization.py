"""NSSF formalization: enterprises, members, compliance findings, the online form's rate window, and the
registration review's clock (three NSSF working days, paused while the enterprise brings documents)

Revision ID: 0019
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nssf_enterprise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_number", sa.String(length=40), nullable=True),
        sa.Column("name_km", sa.String(length=200), nullable=False),
        sa.Column("name_latin", sa.String(length=200), nullable=False),
        sa.Column("legal_form", sa.String(length=30), nullable=False),
        sa.Column("activity", sa.String(length=30), nullable=False),
        sa.Column("area_code", sa.String(length=8), nullable=False),
        sa.Column("annual_revenue_usd", sa.Integer(), nullable=True),
        sa.Column("employee_count", sa.Integer(), nullable=False),
        sa.Column("registration_source", sa.String(length=20), nullable=False),
        sa.Column("employer_number", sa.String(length=40), nullable=True),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_nssf_enterprise_area_code_area")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_nssf_enterprise_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nssf_enterprise")),
        sa.UniqueConstraint("employer_number", name=op.f("uq_nssf_enterprise_employer_number")),
        sa.UniqueConstraint("registration_number", name=op.f("uq_nssf_enterprise_registration_number")),
    )
    with op.batch_alter_table("nssf_enterprise", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nssf_enterprise_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_nssf_enterprise_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_nssf_enterprise_name_latin"), ["name_latin"], unique=False)
        batch_op.create_index(batch_op.f("ix_nssf_enterprise_registered_on"), ["registered_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_nssf_enterprise_status"), ["status"], unique=False)

    op.create_table(
        "nssf_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("schemes", sa.String(length=120), nullable=False),
        sa.Column("member_number", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("area_code", sa.String(length=8), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("id_check", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_nssf_member_area_code_area")),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_nssf_member_case_id_case_file")),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["nssf_enterprise.id"],
            name=op.f("fk_nssf_member_enterprise_id_nssf_enterprise"),
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_nssf_member_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nssf_member")),
        sa.UniqueConstraint("member_number", name=op.f("uq_nssf_member_member_number")),
    )
    with op.batch_alter_table("nssf_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nssf_member_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_nssf_member_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_nssf_member_enterprise_id"), ["enterprise_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_nssf_member_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_nssf_member_registered", ["status", "registered_on"], unique=False)

    op.create_table(
        "nssf_compliance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("finding", sa.String(length=30), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("workers_found", sa.Integer(), nullable=True),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("fine_khr", sa.Integer(), nullable=True),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_nssf_compliance_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["app_user.id"], name=op.f("fk_nssf_compliance_decided_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["nssf_enterprise.id"],
            name=op.f("fk_nssf_compliance_enterprise_id_nssf_enterprise"),
        ),
        sa.ForeignKeyConstraint(
            ["inspector_id"], ["app_user.id"], name=op.f("fk_nssf_compliance_inspector_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["app_user.id"], name=op.f("fk_nssf_compliance_proposed_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nssf_compliance")),
        sa.UniqueConstraint("case_id", name=op.f("uq_nssf_compliance_case_id")),
    )
    with op.batch_alter_table("nssf_compliance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nssf_compliance_enterprise_id"), ["enterprise_id"], unique=False)

    op.create_table(
        "nssf_public_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nssf_public_submission")),
    )
    with op.batch_alter_table("nssf_public_submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nssf_public_submission_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_nssf_public_submission_client_hash"), ["client_hash"], unique=False
        )

    policies = sa.table(
        "sla_policy",
        sa.column("process_id", sa.String),
        sa.column("clock", sa.String),
        sa.column("target", sa.String),
        sa.column("at_risk_first", sa.Float),
        sa.column("at_risk_second", sa.Float),
        sa.column("pause_tasks", sa.String),
        sa.column("on_reopen", sa.String),
        sa.column("calendar_name", sa.String),
    )
    # DOMAIN.md section 5: NSSF registration review within 3 working days on the counters' seven-day week;
    # waiting for the enterprise's documents pauses the clock.
    op.execute(
        policies.insert().values(
            process_id="nssf_enterprise_registration",
            clock="registration",
            target="P3D",
            at_risk_first=0.5,
            at_risk_second=0.8,
            pause_tasks="receive_documents",
            on_reopen="resume",
            calendar_name="nssf",
        )
    )


def downgrade() -> None:
    op.execute("DELETE FROM sla_policy WHERE process_id = 'nssf_enterprise_registration'")
    op.drop_table("nssf_public_submission")
    op.drop_table("nssf_compliance")
    op.drop_table("nssf_member")
    op.drop_table("nssf_enterprise")
