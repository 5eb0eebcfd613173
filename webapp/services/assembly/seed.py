"""Demo data for the SSDM pilot districts of Siem Reap: programmes, one account per role and area, and a few
applications at different steps so every inbox has work in it."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.domain.cases import Case
from webapp.domain.catalogue import PROGRAMMES
from webapp.domain.people import RoleName, User
from webapp.domain.registry import Programme
from webapp.domain.tasks import OPEN, Task
from webapp.engine import ProcessEngine
from webapp.services.applications.intake import Applicant, Household, open_application
from webapp.services.casework.documents import Upload
from webapp.services.casework.tasks import claim_task, submit_task
from webapp.services.platform.auth import hash_password

DEMO_PASSWORD = "sala-demo"  # noqa: S105 - documented demo accounts, listed in the README


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    area_code: str | None


# The named process owner of the demo: a supervisor who publishes what others propose.
PROCESS_OWNER = "sup.ac"
# Angkor Chum (1701) and Srei Snam (1712), the SSDM pilot districts of Siem Reap.
_DISTRICT_STAFF = (
    ("ssdm", RoleName.DISTRICT_SSDM_ASSISTANT),
    ("iso", RoleName.INTER_SECTOR_OFFICER),
    ("bo.social", RoleName.BACK_OFFICE_SOCIAL_AFFAIRS),
    ("bo.health", RoleName.BACK_OFFICE_HEALTH),
    ("bo.education", RoleName.BACK_OFFICE_EDUCATION),
    ("bo.labour", RoleName.BACK_OFFICE_LABOUR),
    ("bo.rural", RoleName.BACK_OFFICE_RURAL_DEVELOPMENT),
    ("sup", RoleName.DISTRICT_SUPERVISOR),
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
    users = [DemoUser("admin", "Sala Administrator អ្នកគ្រប់គ្រង", RoleName.ADMINISTRATOR, None)]
    names = iter(_NAMES * 4)
    for suffix, district in _DISTRICTS:
        users += [
            DemoUser(f"{prefix}.{suffix}", next(names), role, district) for prefix, role in _DISTRICT_STAFF
        ]
    for commune_name, commune, village in _COMMUNES:
        users.append(DemoUser(f"ca.{commune_name}", next(names), RoleName.COMMUNE_ASSISTANT, commune))
        users.append(DemoUser(f"vdc.{commune_name}", next(names), RoleName.VDC_MEMBER, village))
    return users + _grievance_users(names)


def _grievance_users(names: Iterator[str]) -> list[DemoUser]:
    """Committee secretaries of both districts, and the province, hotline, NSSF and regulator officers."""
    users = [
        DemoUser(f"{prefix}.{suffix}", next(names), role, district)
        for suffix, district in _DISTRICTS
        for prefix, role in (("cwcc", RoleName.CWCC_SECRETARY), ("tcc", RoleName.TCC_SECRETARY))
    ]
    return [
        *users,
        DemoUser("esa.siemreap", next(names), RoleName.PROVINCE_ESA_OFFICER, "17"),
        DemoUser("nssf.siemreap", next(names), RoleName.NSSF_GRIEVANCE_OFFICER, "17"),
        DemoUser("hotline", next(names), RoleName.HOTLINE_OFFICER, None),
        DemoUser("ssr", next(names), RoleName.SSR_OFFICER, None),
    ]


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
                monthly_benefit_khr=info.monthly_benefit_khr,
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
                process_owner=demo.username == PROCESS_OWNER,
            )
        )
    session.flush()
    return len(demo_users())


# (commune assistant, applicant, programme, steps to complete after intake as (username, data))
_DOCUMENTS_OK = {"documents_complete": "yes", "missing_document": None, "note": ""}
_DEMO_APPLICATIONS = (
    (
        "ca.charchhuk",
        ("សុខ ស្រីមុំ", "Sok Sreymom", "female", date(1951, 4, 13), "17010101", "poor_1", False),
        "fp_elderly",
        (),
    ),
    (
        "ca.charchhuk",
        ("កែវ សុភាព", "Keo Sopheap", "male", date(1984, 9, 2), "17010102", "poor_2", True),
        "health_equity_fund",
        (("ssdm.ac", _DOCUMENTS_OK),),
    ),
    (
        "ca.dounpeng",
        ("ជា ស្រីលក្ខណ៍", "Chea Sreyleak", "female", date(1957, 1, 30), "17010201", "poor_1", True),
        "fp_disability",
        (
            ("ssdm.ac", _DOCUMENTS_OK),
            (
                "bo.social.ac",
                {
                    "decision": "approve",
                    "justification": "Disability confirmed by the health centre.",
                    "benefit_start": "2026-12-01",
                },
            ),
        ),
    ),
    (
        "ca.chrouy",
        ("ហ៊ុន វណ្ណី", "Hun Vanny", "female", date(1990, 6, 5), "17120101", "none", False),
        "fp_base",
        (),
    ),
)


def seed_demo_cases(session: Session, *, engine: ProcessEngine, today: date, document: bytes) -> int:
    """Opens the demo applications through the same services officers use, when there are no cases yet."""
    if session.scalar(select(func.count()).select_from(Case)):
        return 0
    for number, (username, person, programme, steps) in enumerate(_DEMO_APPLICATIONS, start=1):
        name_km, name_latin, sex, born, village, card, disability = person
        applicant = Applicant(
            name_km=name_km,
            name_latin=name_latin,
            sex=sex,
            date_of_birth=born,
            id_kind="national_id",
            id_number=f"1701{number:05d}",
            village_code=village,
            equity_card=card,
            disability=disability,
        )
        case = open_application(
            session,
            engine=engine,
            actor=_user(session, username),
            applicant=applicant,
            household=Household(
                household_size=4, pregnant=False, living_with_hiv=False, enrolled_in_school=False
            ),
            programme_code=programme,
            documents=[Upload("family_book", "family_book", "family-book.pdf", document)],
            today=today,
            max_upload_bytes=len(document) + 1,
        )
        for step_user, data in steps:
            _work(session, engine, case, _user(session, step_user), data)
    return len(_DEMO_APPLICATIONS)


def _user(session: Session, username: str) -> User:
    return session.scalars(select(User).where(User.username == username)).one()


def _work(
    session: Session, engine: ProcessEngine, case: Case, actor: User, data: Mapping[str, object]
) -> None:
    task = session.scalars(select(Task).where(Task.case_id == case.id, Task.status == OPEN)).one()
    claim_task(session, task_id=task.id, actor=actor)
    submit_task(session, engine=engine, task_id=task.id, data=data, actor=actor, case_version=None)
