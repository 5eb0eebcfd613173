"""Business figures out of code: each programme's monthly benefit, and a table of business rules.

Revision ID: 0012
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None

# The amounts printed on approval letters until now (riels a month); other programmes print none.
FAMILY_PACKAGE_BENEFITS = {"fp_elderly": 40_000, "fp_disability": 40_000, "fp_pregnant_child": 40_000}


def upgrade() -> None:
    op.add_column("programme", sa.Column("monthly_benefit_khr", sa.Integer(), nullable=True))
    programme = sa.table("programme", sa.column("code", sa.String), sa.column("monthly_benefit_khr", sa.Integer))
    for code, amount in FAMILY_PACKAGE_BENEFITS.items():
        op.execute(programme.update().where(programme.c.code == code).values(monthly_benefit_khr=amount))
    rules = op.create_table(
        "business_rule",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False, server_default=sa.func.current_timestamp()),
    )
    op.bulk_insert(rules, [{"key": "appeal_days", "value": 30}])


def downgrade() -> None:
    op.drop_table("business_rule")
    op.drop_column("programme", "monthly_benefit_khr")
