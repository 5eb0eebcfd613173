"""Two more stamps in reference_stamp, moved by triggers as 0032's are: "programmes" with every insert, update
or delete of programme, "workflows" with every one of workflow_version (which versions exist, which are
published, their numbers: all that decides the version new cases start on). The opening of a case keeps the
programme rows and each process's latest published version in memory and checks them against these stamps,
read in the same one statement as the calendar and policy stamps.

The new values come from 0032's sequence (PostgreSQL) or random() (SQLite), never reused, and start at a
random value; the PostgreSQL triggers call 0032's function. The area table has no stamp: only the gazetteer
import writes it, once, into an empty table, when a database is set up.

Revision ID: 0033
Revises: 0032
"""

from alembic import op

from webapp.services.platform.stamp_triggers import add_stamps, remove_stamps

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

WATCHED = {"programme": "programmes", "workflow_version": "workflows"}


def upgrade() -> None:
    add_stamps(op.get_bind(), WATCHED)


def downgrade() -> None:
    remove_stamps(op.get_bind(), WATCHED)
