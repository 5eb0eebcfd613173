"""One more stamp in reference_stamp, "users", moved by every insert, update or delete of app_user (a
password changed, a role or area changed, an account closed, every session ended), as 0034's is: the
signed-in officer's row is kept per process and checked against it, in the same one statement that reads the
other stamps, at the start of each request, so any change to an account is seen by its next request.

Revision ID: 0035
Revises: 0034
"""

from alembic import op

from webapp.services.platform.stamp_triggers import add_stamps, remove_stamps

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

WATCHED = {"app_user": "users"}


def upgrade() -> None:
    add_stamps(op.get_bind(), WATCHED)


def downgrade() -> None:
    remove_stamps(op.get_bind(), WATCHED)
