"""Demo data for the SSDM pilot districts of Siem Reap: programmes and one account per role and area."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.domain.catalogue import PROGRAMMES
from webapp.domain.people import User
from webapp.domain.registry import Programme
from webapp.services.auth import hash_password

DEMO_PASSWORD = "sala-demo"  # noqa: S105 - documented demo accounts, listed in the README


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    area_code: str | None


# Angkor Chum (1701) and Srei Snam (1712), the SSDM pilot districts of Siem Reap.
_DISTRICT_STAFF = (
    ("ssdm", "district_ssdm_assistant"),
    ("iso", "inter_sector_officer"),
    ("bo.social", "back_office_social_affairs"),
    ("bo.health", "back_office_health"),
    ("bo.education", "back_office_education"),
    ("bo.labour", "back_office_labour"),
    ("bo.rural", "back_office_rural_development"),
    ("sup", "district_supervisor"),
)
_DISTRICTS = (("ac", "1701"), ("ss", "1712"))
_COMMUNES = (
    ("charchhuk", "170101", "17010101"),
    ("dounpeng", "170102", "17010201"),
    ("chrouy", "171201", "17120101"),
    ("klanghay", "171202", "17120201"),
)
_NAMES = (
    "Sok Dara សុខ ដារ៉ា",
    "Chan Sophea ចាន់ សុភា",
    "Keo Vanna កែវ វណ្ណា",
    "Srey Mom ស្រី មុំ",
    "Heng Rithy ហេង ឫទ្ធី",
    "Lim Sokha លឹម សុខា",
    "Pich Sreyneang ពេជ្រ ស្រីនាង",
    "Mao Sambath ម៉ៅ សម្បត្តិ",
    "Nhem Chantha ញ៉ែម ចន្ថា",
    "Ouk Bopha អ៊ុក បុប្ផា",
    "Tep Sovann ទេព សុវណ្ណ",
    "Yim Kanha យឹម កញ្ញា",
)


def demo_users() -> list[DemoUser]:
    users = [DemoUser("admin", "Sala Administrator អ្នកគ្រប់គ្រង", "administrator", None)]
    names = iter(_NAMES * 4)
    for suffix, district in _DISTRICTS:
        users += [
            DemoUser(f"{prefix}.{suffix}", next(names), role, district) for prefix, role in _DISTRICT_STAFF
        ]
    for commune_name, commune, village in _COMMUNES:
        users.append(DemoUser(f"ca.{commune_name}", next(names), "commune_assistant", commune))
        users.append(DemoUser(f"vdc.{commune_name}", next(names), "vdc_member", village))
    return users


def seed_programmes(session: Session) -> int:
    if session.scalar(select(func.count()).select_from(Programme)):
        return 0
    for position, info in enumerate(PROGRAMMES):
        session.add(
            Programme(
                code=info.code,
                name=info.name,
                sector=info.sector,
                family=info.family,
                rule=info.rule,
                position=position,
            )
        )
    session.flush()
    return len(PROGRAMMES)


def seed_demo_users(session: Session, *, password: str = DEMO_PASSWORD) -> int:
    """Adds the demo accounts when there are no users yet; returns how many were added."""
    if session.scalar(select(func.count()).select_from(User)):
        return 0
    for demo in demo_users():
        session.add(
            User(
                username=demo.username,
                full_name=demo.full_name,
                role=demo.role,
                area_code=demo.area_code,
                password_hash=hash_password(password),
            )
        )
    session.flush()
    return len(demo_users())
