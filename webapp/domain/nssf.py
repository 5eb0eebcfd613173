"""NSSF formalization: the registries of enterprises and members, and the findings of inspectors."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.areas import Area
from webapp.domain.base import Base, utcnow
from webapp.domain.messages import N_
from webapp.domain.registry import Person

# A micro-enterprise (NSSF Operational Plan 2024-2026): under USD 62,250 revenue a year or under 5 employees.
MICRO_REVENUE_USD = 62_250
MICRO_EMPLOYEES = 5
MEMBERS_GOAL = 1_200_000  # new members from 2024 to 2026


class EnterpriseStatus(StrEnum):
    APPLIED = "applied"
    REGISTERED = "registered"
    REJECTED = "rejected"
    UNREGISTERED = "unregistered"  # found by an inspector, no application yet


class MemberStatus(StrEnum):
    DECLARED = "declared"
    REGISTERED = "registered"
    REJECTED = "rejected"


class MemberKind(StrEnum):
    EMPLOYEE = "employee"
    SELF_EMPLOYED = "self_employed"


LEGAL_FORMS = {
    "sole_proprietorship": N_("Sole proprietorship"),
    "partnership": N_("Partnership"),
    "private_limited": N_("Private limited company"),
    "public_limited": N_("Public limited company"),
    "branch_foreign": N_("Branch of a foreign company"),
    "association": N_("Association or NGO"),
}
ACTIVITIES = {
    "garment": N_("Garment, footwear and travel goods"),
    "construction": N_("Construction"),
    "hospitality": N_("Hotels and restaurants"),
    "retail": N_("Retail and wholesale trade"),
    "agriculture": N_("Agriculture and fisheries"),
    "transport": N_("Transport"),
    "services": N_("Other services"),
    "manufacturing": N_("Other manufacturing"),
}
REGISTRATION_SOURCES = {
    "obr": N_("Online Business Registration"),
    "district_office": N_("District one-window office"),
    "none": N_("Not registered anywhere"),
}
SCHEMES = {
    "occupational_risk": N_("Occupational risk"),
    "health_care": N_("Health care"),
    "pension": N_("Pension"),
    "voluntary_health": N_("Voluntary health care"),
}
EMPLOYEE_SCHEMES = ("occupational_risk", "health_care", "pension")
SELF_EMPLOYED_SCHEMES = ("voluntary_health",)
CHANNELS = {
    "counter": N_("At an NSSF counter"),
    "mobile_unit": N_("Through a mobile unit"),
    "online": N_("Online"),
}
TARGET_GROUPS = {
    "employees": N_("Employees of registered enterprises"),
    "enterprises": N_("Registered enterprises not yet with NSSF"),
    "informal": N_("Informal workers and micro-enterprises"),
}
FINDINGS = {
    "unregistered": N_("Not registered with NSSF"),
    "late_contributions": N_("Contributions paid late"),
    "wrong_workers": N_("Wrong number of workers declared"),
}
WAIVER_REASONS = {
    "force_majeure": N_("Force majeure (flood, fire, epidemic)"),
    "first_offence_corrected": N_("First offence, corrected in full"),
    "bank_error": N_("Error of the bank or of NSSF"),
}


def is_micro(annual_revenue_usd: int | None, employee_count: int) -> bool:
    """The plan's rule: either test makes a micro-enterprise; an unknown revenue leaves the head count."""
    small_revenue = annual_revenue_usd is not None and annual_revenue_usd < MICRO_REVENUE_USD
    return small_revenue or employee_count < MICRO_EMPLOYEES


class Enterprise(Base):
    __tablename__ = "nssf_enterprise"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_number: Mapped[str | None] = mapped_column(String(40), unique=True)  # business registry
    name_km: Mapped[str] = mapped_column(String(200))
    name_latin: Mapped[str] = mapped_column(String(200), index=True)
    legal_form: Mapped[str] = mapped_column(String(30))
    activity: Mapped[str] = mapped_column(String(30))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    annual_revenue_usd: Mapped[int | None] = mapped_column(Integer)
    employee_count: Mapped[int] = mapped_column(Integer, default=0)
    registration_source: Mapped[str] = mapped_column(String(20))
    employer_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(20), default=EnterpriseStatus.APPLIED, index=True)
    registered_on: Mapped[date | None] = mapped_column(Date, index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    area: Mapped[Area] = relationship(lazy="joined")

    @property
    def micro(self) -> bool:
        return is_micro(self.annual_revenue_usd, self.employee_count)


class Member(Base):
    """A person's NSSF membership: an employee of an enterprise, or a self-employed worker."""

    __tablename__ = "nssf_member"
    __table_args__ = (Index("ix_nssf_member_registered", "status", "registered_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("nssf_enterprise.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    schemes: Mapped[str] = mapped_column(String(120))  # comma-separated keys of SCHEMES
    member_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=MemberStatus.DECLARED)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    registered_on: Mapped[date | None] = mapped_column(Date)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    id_check: Mapped[str] = mapped_column(String(20), default="")  # confirmed, mismatch, unknown, by_hand
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")
    enterprise: Mapped[Enterprise | None] = relationship(lazy="joined")

    @property
    def scheme_list(self) -> list[str]:
        return [key for key in self.schemes.split(",") if key]


class ComplianceFinding(Base):
    """What an inspector found at an enterprise, and what became of it: compliance, a fine or a waiver."""

    __tablename__ = "nssf_compliance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("nssf_enterprise.id"), index=True)
    finding: Mapped[str] = mapped_column(String(30))
    details: Mapped[str] = mapped_column(Text, default="")
    workers_found: Mapped[int | None] = mapped_column(Integer)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    notice_days: Mapped[int] = mapped_column(Integer)
    fine_khr: Mapped[int | None] = mapped_column(Integer)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    outcome: Mapped[str | None] = mapped_column(String(20))  # compliant, fined, waived, withdrawn
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    enterprise: Mapped[Enterprise] = relationship(lazy="joined")


class PublicApplication(Base):
    """One online enterprise application per row, keyed by a hash of the client address (rate limit)."""

    __tablename__ = "nssf_public_submission"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_hash: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
