"""Grievances, the committees that decide them at meetings, and the public form's submission window."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.base import Base, utcnow
from webapp.domain.cases import Case
from webapp.domain.messages import N_

# Where the grievance was received; the value is also what the intake form offers.
CHANNELS = {
    "village": N_("At the village (VDC)"),
    "commune": N_("At the commune office"),
    "district": N_("At the district office"),
    "hotline": N_("By the hotline"),
    "nssf_counter": N_("At an NSSF counter"),
    "web": N_("On the public web form"),
}
# The category routes the case: the first two go the SSDM way (CWCC, TCC), social security to NSSF.
CATEGORIES = {
    "unsuccessful_application": N_("An unsuccessful application (eligibility, registration or decision)"),
    "service_quality": N_("Availability or quality of a service"),
    "social_security": N_("Social security (contributions, benefits, NSSF registration)"),
    "other": N_("Other"),
}
DECISIONS = {
    "upheld": N_("Upheld"),
    "partly_upheld": N_("Partly upheld"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
    "referred": N_("Referred"),
}
ADR_METHODS = {
    "negotiation": N_("Negotiation"),
    "conciliation": N_("Conciliation"),
    "mediation": N_("Mediation"),
    "arbitration": N_("Arbitration"),
}


class GrievanceStatus(StrEnum):
    RECEIVED = "received"
    LEVEL_1 = "level_1"
    LEVEL_2 = "level_2"
    RESOLVED = "resolved"
    CLOSED = "closed"


STATUSES: dict[str, str] = {
    GrievanceStatus.RECEIVED: N_("Received"),
    GrievanceStatus.LEVEL_1: N_("Being examined (level 1)"),
    GrievanceStatus.LEVEL_2: N_("Before the committee (level 2)"),
    GrievanceStatus.RESOLVED: N_("Decided"),
    GrievanceStatus.CLOSED: N_("Closed"),
}
# The committee of each SSDM category at level 2, and how many months apart it meets by default.
COMMITTEES = {"cwcc": N_("Commune and district CWCC"), "tcc": N_("Technical coordination committee (TCC)")}
COMMITTEE_OF_CATEGORY = {"unsuccessful_application": "cwcc", "service_quality": "tcc", "other": "cwcc"}
MEETING_EVERY_MONTHS = {"cwcc": 1, "tcc": 2}
COMMITTEE_SECRETARY_ROLE = {"cwcc": "cwcc_secretary", "tcc": "tcc_secretary"}
MAX_DESCRIPTION = 5000
SCHEDULED = "scheduled"
HELD = "held"


class Grievance(Base):
    """One grievance; its workflow (grievance_ssdm or grievance_social_security) runs in case `case_id`."""

    __tablename__ = "grievance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), unique=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    # Only a hash of the short status code is kept: the code is printed once, on the acknowledgement.
    status_code_hash: Mapped[str] = mapped_column(String(64))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    complainant_name: Mapped[str | None] = mapped_column(String(120))
    contact: Mapped[str | None] = mapped_column(String(120))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    related_case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    # The new application case opened when level 1 resubmits the contested application.
    resubmitted_case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"))
    description: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    level: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_level: Mapped[int | None] = mapped_column(Integer)
    adr_method: Mapped[str | None] = mapped_column(String(20))
    escalated_by_breach: Mapped[bool] = mapped_column(Boolean, default=False)
    appeal_of_id: Mapped[int | None] = mapped_column(ForeignKey("grievance.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # None: the public form
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)  # the monthly report's period

    case: Mapped[Case] = relationship(foreign_keys=[case_id], lazy="joined")
    related_case: Mapped[Case | None] = relationship(foreign_keys=[related_case_id])
    resubmitted_case: Mapped[Case | None] = relationship(foreign_keys=[resubmitted_case_id])
    appeal_of: Mapped["Grievance | None"] = relationship(remote_side=[id])

    @property
    def committee(self) -> str | None:
        return COMMITTEE_OF_CATEGORY.get(self.category)


class CommitteeMeeting(Base):
    """A CWCC or TCC meeting of an area; its agenda is the area's pending level-2 grievances."""

    __tablename__ = "committee_meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee: Mapped[str] = mapped_column(String(10))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    meets_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=SCHEDULED)
    scheduled_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    decisions: Mapped[list["CommitteeDecision"]] = relationship(
        back_populates="meeting", order_by="CommitteeDecision.id"
    )


class CommitteeDecision(Base):
    """What a meeting decided on one grievance."""

    __tablename__ = "committee_decision"
    __table_args__ = (UniqueConstraint("meeting_id", "grievance_id", name="uq_committee_decision_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("committee_meeting.id"), index=True)
    grievance_id: Mapped[int] = mapped_column(ForeignKey("grievance.id"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[CommitteeMeeting] = relationship(back_populates="decisions")
    grievance: Mapped[Grievance] = relationship()


class PublicSubmission(Base):
    """One public-form submission per row, keyed by a hash of the client address, for the rate limit."""

    __tablename__ = "public_submission"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_hash: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
