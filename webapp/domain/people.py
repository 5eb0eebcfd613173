"""Sala's users, their roles and the level of area each role works at."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.areas import Area, AreaLevel, contains, cut_to_level
from webapp.domain.base import Base, utcnow
from webapp.domain.messages import N_


class RoleName(StrEnum):
    """Every role's name, which is also its BPMN lane name: the one definition, compared as a string."""

    VDC_MEMBER = "vdc_member"
    COMMUNE_ASSISTANT = "commune_assistant"
    DISTRICT_SSDM_ASSISTANT = "district_ssdm_assistant"
    INTER_SECTOR_OFFICER = "inter_sector_officer"
    BACK_OFFICE_SOCIAL_AFFAIRS = "back_office_social_affairs"
    BACK_OFFICE_HEALTH = "back_office_health"
    BACK_OFFICE_EDUCATION = "back_office_education"
    BACK_OFFICE_LABOUR = "back_office_labour"
    BACK_OFFICE_RURAL_DEVELOPMENT = "back_office_rural_development"
    DISTRICT_SUPERVISOR = "district_supervisor"
    CWCC_SECRETARY = "cwcc_secretary"
    TCC_SECRETARY = "tcc_secretary"
    PROVINCE_ESA_OFFICER = "province_esa_officer"
    HOTLINE_OFFICER = "hotline_officer"
    NSSF_GRIEVANCE_OFFICER = "nssf_grievance_officer"
    SSR_OFFICER = "ssr_officer"
    NSSF_REGISTRATION_OFFICER = "nssf_registration_officer"
    NSSF_INSPECTOR = "nssf_inspector"
    NSSF_CHIEF = "nssf_chief"
    NSSF_NATIONAL_OFFICER = "nssf_national_officer"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class Role:
    name: str  # also the BPMN lane name
    level: AreaLevel
    label: str  # English message id
    supervises: bool = False


ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role(RoleName.VDC_MEMBER, AreaLevel.VILLAGE, N_("VDC member")),
        Role(RoleName.COMMUNE_ASSISTANT, AreaLevel.COMMUNE, N_("Commune assistant")),
        Role(RoleName.DISTRICT_SSDM_ASSISTANT, AreaLevel.DISTRICT, N_("District SSDM assistant")),
        Role(RoleName.INTER_SECTOR_OFFICER, AreaLevel.DISTRICT, N_("Inter-sector officer")),
        Role(RoleName.BACK_OFFICE_SOCIAL_AFFAIRS, AreaLevel.DISTRICT, N_("Back office: social affairs")),
        Role(RoleName.BACK_OFFICE_HEALTH, AreaLevel.DISTRICT, N_("Back office: health")),
        Role(RoleName.BACK_OFFICE_EDUCATION, AreaLevel.DISTRICT, N_("Back office: education")),
        Role(RoleName.BACK_OFFICE_LABOUR, AreaLevel.DISTRICT, N_("Back office: labour")),
        Role(
            RoleName.BACK_OFFICE_RURAL_DEVELOPMENT, AreaLevel.DISTRICT, N_("Back office: rural development")
        ),
        Role(RoleName.DISTRICT_SUPERVISOR, AreaLevel.DISTRICT, N_("District supervisor"), supervises=True),
        Role(RoleName.CWCC_SECRETARY, AreaLevel.DISTRICT, N_("CWCC secretary")),
        Role(RoleName.TCC_SECRETARY, AreaLevel.DISTRICT, N_("TCC secretary")),
        Role(
            RoleName.PROVINCE_ESA_OFFICER,
            AreaLevel.PROVINCE,
            N_("Provincial Economic and Social Affairs office"),
        ),
        Role(RoleName.HOTLINE_OFFICER, AreaLevel.NATIONAL, N_("Hotline officer")),
        Role(RoleName.NSSF_GRIEVANCE_OFFICER, AreaLevel.PROVINCE, N_("NSSF grievance officer")),
        Role(RoleName.SSR_OFFICER, AreaLevel.NATIONAL, N_("Social Security Regulator officer")),
        Role(RoleName.NSSF_REGISTRATION_OFFICER, AreaLevel.PROVINCE, N_("NSSF registration officer")),
        Role(RoleName.NSSF_INSPECTOR, AreaLevel.PROVINCE, N_("NSSF inspector")),
        Role(RoleName.NSSF_CHIEF, AreaLevel.PROVINCE, N_("NSSF provincial chief")),
        Role(RoleName.NSSF_NATIONAL_OFFICER, AreaLevel.NATIONAL, N_("NSSF national officer")),
        Role(RoleName.ADMINISTRATOR, AreaLevel.NATIONAL, N_("Administrator"), supervises=True),
    )
}

# From the narrowest to the widest: a supervisor acts on roles at their own level or below.
LEVEL_RANK = {
    AreaLevel.VILLAGE: 0,
    AreaLevel.COMMUNE: 1,
    AreaLevel.DISTRICT: 2,
    AreaLevel.PROVINCE: 3,
    AreaLevel.NATIONAL: 4,
}


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
    # Raised by sign-out, a password change or deactivation: every session signed with an older one ends.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # May publish and withdraw processes for the whole country (administrators always may).
    process_owner: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

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

    def may_reassign(self, task_role: str, area_code: str) -> bool:
        """A supervisor hands over tasks of their area whose role works at their own level or below."""
        if not self.active or not self.is_supervisor or task_role not in ROLES:
            return False
        own, task = LEVEL_RANK[self.role_info.level], LEVEL_RANK[ROLES[task_role].level]
        return task <= own and self.covers(area_code)

    @property
    def may_publish_processes(self) -> bool:
        """Publishing changes a process for every district: a national right."""
        return self.active and (self.role == "administrator" or self.process_owner)

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
