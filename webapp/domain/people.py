"""Sala's users, their roles and the level of area each role works at."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.areas import Area, AreaLevel, contains, cut_to_level
from webapp.domain.base import Base, utcnow
from webapp.domain.messages import N_


@dataclass(frozen=True)
class Role:
    name: str  # also the BPMN lane name
    level: AreaLevel
    label: str  # English message id
    supervises: bool = False


ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role("vdc_member", AreaLevel.VILLAGE, N_("VDC member")),
        Role("commune_assistant", AreaLevel.COMMUNE, N_("Commune assistant")),
        Role("district_ssdm_assistant", AreaLevel.DISTRICT, N_("District SSDM assistant")),
        Role("inter_sector_officer", AreaLevel.DISTRICT, N_("Inter-sector officer")),
        Role("back_office_social_affairs", AreaLevel.DISTRICT, N_("Back office: social affairs")),
        Role("back_office_health", AreaLevel.DISTRICT, N_("Back office: health")),
        Role("back_office_education", AreaLevel.DISTRICT, N_("Back office: education")),
        Role("back_office_labour", AreaLevel.DISTRICT, N_("Back office: labour")),
        Role("back_office_rural_development", AreaLevel.DISTRICT, N_("Back office: rural development")),
        Role("district_supervisor", AreaLevel.DISTRICT, N_("District supervisor"), supervises=True),
        Role("cwcc_secretary", AreaLevel.DISTRICT, N_("CWCC secretary")),
        Role("tcc_secretary", AreaLevel.DISTRICT, N_("TCC secretary")),
        Role("province_esa_officer", AreaLevel.PROVINCE, N_("Provincial Economic and Social Affairs office")),
        Role("hotline_officer", AreaLevel.NATIONAL, N_("Hotline officer")),
        Role("nssf_grievance_officer", AreaLevel.PROVINCE, N_("NSSF grievance officer")),
        Role("ssr_officer", AreaLevel.NATIONAL, N_("Social Security Regulator officer")),
        Role("administrator", AreaLevel.NATIONAL, N_("Administrator"), supervises=True),
    )
}

SECTORS = ("social_affairs", "health", "education", "labour", "rural_development")


def back_office_role(sector: str) -> str:
    return f"back_office_{sector}"


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(40), index=True)
    area_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    area: Mapped[Area | None] = relationship(lazy="joined")

    @property
    def role_info(self) -> Role:
        return ROLES[self.role]

    @property
    def scope_code(self) -> str:
        """The area code prefix this user may see: '' for national roles."""
        return self.area_code or ""

    @property
    def is_supervisor(self) -> bool:
        return self.role_info.supervises

    def covers(self, area_code: str) -> bool:
        """Whether `area_code` lies inside this user's jurisdiction."""
        return contains(self.scope_code, area_code)

    def works_on(self, role: str, area_code: str) -> bool:
        """Whether a task for `role` in `area_code` is offered to this user."""
        if not self.active or role != self.role:
            return False
        return cut_to_level(area_code, self.role_info.level) == self.scope_code

    # Flask-Login's protocol, kept here so the web layer needs no wrapper class.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)
