"""Case events: who did what, when, with the values before and after. The case timeline reads them."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.base import Base, utcnow
from webapp.domain.messages import N_
from webapp.domain.people import User


class CaseEvent(Base):
    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(40))  # see EVENT_KINDS
    task_name: Mapped[str | None] = mapped_column(String(200))
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship(lazy="joined")


# kind -> English message id shown on the timeline
EVENT_KINDS = {
    "case_opened": N_("Case opened"),
    "document_added": N_("Document attached"),
    "task_created": N_("Task created"),
    "task_claimed": N_("Task claimed"),
    "task_released": N_("Task released"),
    "task_reassigned": N_("Task reassigned"),
    "task_completed": N_("Task completed"),
    "task_cancelled": N_("Task cancelled"),
    "eligibility_decided": N_("Eligibility decided"),
    "case_closed": N_("Case closed"),
    "application_resubmitted": N_("Application resubmitted as a new case"),
    "letter_issued": N_("Letter issued"),
    "letter_delivered": N_("Letter delivered"),
    "clock_paused": N_("Clock paused: waiting for the citizen"),
    "clock_resumed": N_("Clock resumed"),
    "timer_fired": N_("Deadline timer fired"),
    "sla_reminder": N_("Reminder: the step is at risk of missing its deadline"),
    "case_migrated": N_("Case moved to another version"),
    "migration_reverted": N_("Case moved back to its previous version"),
    "grievance_escalated": N_("Grievance sent to level 2"),
    "grievance_decided": N_("Grievance decided"),
    "registry_checked": N_("Checked against the business registry"),
    "ids_checked": N_("National ID numbers checked"),
    "employer_registered": N_("Employer registered with NSSF"),
    "members_declared": N_("Members declared to NSSF"),
    "members_registered": N_("Members registered with NSSF"),
    "registration_checked": N_("Registration checked at the notice's deadline"),
    "appeal_sent": N_("Appeal sent to the social security grievance process"),
    "possible_duplicates": N_("Possible duplicates in the registry"),
}
