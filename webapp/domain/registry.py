"""The people Sala serves (the social protection registry) and the programmes they apply to."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.areas import Area
from webapp.domain.base import Base, utcnow

SEXES = ("female", "male")
ID_KINDS = ("national_id", "family_book")
EQUITY_CARDS = ("none", "poor_1", "poor_2", "at_risk")
LETTER_LANGUAGES = ("km", "en", "both")  # Khmer unless the person asks otherwise


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("id_kind", "id_number", name="uq_person_identity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_km: Mapped[str] = mapped_column(String(120))
    name_latin: Mapped[str] = mapped_column(String(120), index=True)
    sex: Mapped[str] = mapped_column(String(6))
    date_of_birth: Mapped[date] = mapped_column(Date)
    id_kind: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(String(40))
    village_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    equity_card: Mapped[str] = mapped_column(String(10))
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(20))
    letter_language: Mapped[str] = mapped_column(String(4), default="km", server_default="km")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    village: Mapped[Area] = relationship(lazy="joined")

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday


@dataclass(frozen=True)
class ProgrammeInfo:
    code: str
    name: str  # English message id
    sector: str
    family: str  # English message id of the group it belongs to
    rule: str  # English message id summarising who is eligible
    monthly_benefit_khr: int | None = None  # printed on approval letters; None prints no amount


class Programme(Base):
    __tablename__ = "programme"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    sector: Mapped[str] = mapped_column(String(30))
    family: Mapped[str] = mapped_column(String(80))
    rule: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    monthly_benefit_khr: Mapped[int | None] = mapped_column(Integer)

    applications = relationship("Case", back_populates="programme")


class BusinessRule(Base):
    """A business figure administrators may change without a developer (the appeal period, say)."""

    __tablename__ = "business_rule"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# The figures and their values when a database is created; the table is the truth afterwards.
APPEAL_DAYS = "appeal_days"
BUSINESS_RULE_DEFAULTS = {APPEAL_DAYS: 30}
