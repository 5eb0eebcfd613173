"""One more stamp in reference_stamp, "rules", moved by every insert, update or delete of business_rule (the
appeal period and the other figures letters print), as 0033's stamps are: a closing step keeps the figures in
memory and checks them against it in the same one statement that reads the other stamps. Nothing in Sala edits
the table while it runs (migrations set its rows); the trigger is for an operator who edits it by hand.

Revision ID: 0034
Revises: 0033
"""

from alembic import op

from webapp.services.platform.stamp_triggers import add_stamps, remove_stamps

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

WATCHED = {"business_rule": "rules"}


def upgrade() -> None:
    add_stamps(op.get_bind(), WATCHED)


def downgrade() -> None:
    remove_stamps(op.get_bind(), WATCHED)
