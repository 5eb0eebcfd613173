"""Registry volume: a PostgreSQL holding a million people over the whole gazetteer, and the server time of the
people search (Khmer names in a look-alike spelling, Latin names in another romanisation, ID numbers typed in
Khmer digits) and of a district's monthly registration count, each against a naive baseline measured in the
same run (a plain LIKE scan of the raw columns, as a search without the registry's keys and indexes would do).
The people's name tokens (migration 0023) are built after the COPY by the migration's own backfill, timed. The
machine's load average is printed before and after the measures: figures taken on a busy machine say so.

Run with `.venv/bin/python bench/registry.py` (a few minutes on 2 cores), `--people 100000` for a quick run.
"""

import argparse
import importlib.util
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import psycopg
import yaml
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pg_server import start_postgres  # noqa: E402
from webapp.db import make_engine  # noqa: E402
from webapp.domain.areas import within  # noqa: E402
from webapp.domain.khmer_names import khmer_key, latin_key, to_khmer_digits  # noqa: E402
from webapp.domain.people import RoleName, User  # noqa: E402
from webapp.domain.registry import Person  # noqa: E402
from webapp.domain.spid import make_spid  # noqa: E402
from webapp.services.assembly import bootstrap  # noqa: E402
from webapp.services.registry.search import search_people  # noqa: E402
from webapp.settings import Settings  # noqa: E402

# Khmer names and their usual romanisation, as syllables: family names, then given-name syllables.
FAMILY = [
    ("សុខ", "Sok"),
    ("ចាន់", "Chan"),
    ("កែវ", "Keo"),
    ("ហេង", "Heng"),
    ("លី", "Ly"),
    ("ស៊ុន", "Sun"),
    ("ម៉ៅ", "Mao"),
    ("ជា", "Chea"),
    ("អ៊ុក", "Ouk"),
    ("ទេព", "Tep"),
    ("យឹម", "Yim"),
    ("ញ៉ែម", "Nhem"),
    ("ប៊ុន", "Bun"),
    ("សៀង", "Sieng"),
    ("ឈឹម", "Chhim"),
    ("ពេជ្រ", "Pich"),
    ("មាស", "Meas"),
    ("សំ", "Sam"),
    ("រស់", "Ros"),
    ("អ៊ឹម", "Im"),
    ("គង់", "Kong"),
    ("ឃឹម", "Khim"),
    ("ហ៊ុន", "Hun"),
    ("ព្រំ", "Prum"),
]
GIVEN = [
    ("ស្រី", "Srey"),
    ("មុំ", "Mom"),
    ("ដារ៉ា", "Dara"),
    ("សុភា", "Sophea"),
    ("ធីតា", "Thida"),
    ("បុប្ផា", "Bopha"),
    ("សុវណ្ណ", "Sovann"),
    ("កញ្ញា", "Kanha"),
    ("វណ្ណៈ", "Vannak"),
    ("ចន្ថា", "Chantha"),
    ("រតនា", "Ratana"),
    ("សុខា", "Sokha"),
    ("ពិសី", "Pisey"),
    ("វិចិត្រ", "Vichet"),
    ("ចិន្ដា", "Chenda"),
    ("សំណាង", "Samnang"),
    ("ភារម្យ", "Phearum"),
    ("នារី", "Neary"),
    ("បញ្ញា", "Panha"),
    ("មករា", "Makara"),
    ("សេចក្ដី", "Sechkdei"),
    ("ផល្លា", "Phalla"),
    ("លីហួរ", "Lihour"),
    ("ស្រីនាង", "Sreyneang"),
]
COLUMNS = (
    "spid",
    "name_km",
    "name_latin",
    "name_km_key",
    "name_latin_key",
    "sex",
    "date_of_birth",
    "id_kind",
    "id_number",
    "village_code",
    "equity_card",
    "disability",
    "letter_language",
    "version",
    "created_at",
    "updated_at",
)
TRIGRAM_INDEXES = ("ix_person_name_km_key_trgm", "ix_person_name_latin_key_trgm")
# The name tokens' keys, dropped before the load and built after it, as the migration does on PostgreSQL.
TOKEN_KEYS = (
    ("pk_person_name_token", "PRIMARY KEY (token, village_code, person_id)"),
    ("person_name_token_person_id_fkey", "FOREIGN KEY (person_id) REFERENCES person (id)"),
)
SINCE = datetime(2025, 1, 1)
REPORT_YEAR = 2026
AIM, SPEED_UP = 0.200, 10.0


@lru_cache(maxsize=1)
def villages() -> list[str]:
    data = yaml.safe_load((ROOT / "data" / "gazetteer" / "villages.yml").read_text(encoding="utf-8"))
    return sorted(data["villages"])


def name(rng: random.Random) -> tuple[str, str]:
    family = rng.choice(FAMILY)
    given = [rng.choice(GIVEN) for _ in range(rng.choice((1, 1, 2)))]
    return (
        family[0] + " " + "".join(part[0] for part in given),
        family[1] + " " + "".join(part[1] for part in given).capitalize(),
    )


cached_khmer_key = lru_cache(maxsize=None)(khmer_key)
cached_latin_key = lru_cache(maxsize=None)(latin_key)


def people_rows(count: int, codes: list[str], rng: random.Random):
    sequence: dict[str, int] = {}
    for number in range(1, count + 1):
        village = rng.choice(codes)
        province = village[:2]
        sequence[province] = sequence.get(province, 0) + 1
        km, latin = name(rng)
        created = SINCE + timedelta(minutes=rng.randrange(0, 700 * 24 * 60))
        yield (
            make_spid(province, sequence[province]),
            km,
            latin,
            cached_khmer_key(km),
            cached_latin_key(latin),
            rng.choice(("female", "male")),
            date(1930, 1, 1) + timedelta(days=rng.randrange(0, 32000)),
            "national_id",
            f"{100000000 + number * 7:09d}",
            village,
            rng.choice(("none", "poor_1", "poor_2", "at_risk")),
            rng.random() < 0.05,
            "km",
            1,
            created,
            created,
        )


def token_backfill() -> Callable[[Any], int]:
    """Migration 0023's set-based backfill of the name tokens, run here after the COPY of the people."""
    (path,) = (ROOT / "migrations" / "versions").glob("0023_*.py")
    spec = importlib.util.spec_from_file_location("name_tokens_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    backfill: Callable[[Any], int] = module.backfill
    return backfill


def build_tokens(url: str) -> float:
    """The name tokens of every person through the migration's backfill, keys built after; its seconds."""
    began = time.perf_counter()
    db = make_engine(url)
    with db.begin() as connection:
        connection.execute(text("DROP INDEX ix_person_name_token_person"))
        for constraint, _ in TOKEN_KEYS:
            connection.execute(text(f"ALTER TABLE person_name_token DROP CONSTRAINT {constraint}"))
        connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        token_backfill()(connection)
        for constraint, definition in TOKEN_KEYS:
            connection.execute(
                text(f"ALTER TABLE person_name_token ADD CONSTRAINT {constraint} {definition}")
            )
        connection.execute(text("CREATE INDEX ix_person_name_token_person ON person_name_token (person_id)"))
    with db.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE person_name_token"))
    db.dispose()
    return time.perf_counter() - began


def build(url: str, count: int) -> float:
    began = time.perf_counter()
    db = make_engine(url)
    bootstrap.migrate(db)
    with Session(db) as session, session.begin():
        bootstrap.load_reference_data(session, Settings(database_url=url, secret_key="bench"))
    codes = villages()
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        for index in TRIGRAM_INDEXES:  # built once after the load, not row by row
            connection.execute(f"DROP INDEX {index}")
        with connection.cursor().copy(f"COPY person ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in people_rows(count, codes, random.Random(2026)):
                copy.write_row(row)
        connection.execute("SET maintenance_work_mem = '512MB'")
        for index, column in zip(TRIGRAM_INDEXES, ("name_km_key", "name_latin_key"), strict=True):
            connection.execute(f"CREATE INDEX {index} ON person USING gin ({column} gin_trgm_ops)")
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    db.dispose()
    return time.perf_counter() - began


def variant_km(value: str) -> str:
    """A look-alike spelling: coeng DA for TA and back, a zero-width space between the names."""
    swapped = value.replace("្ដ", "\0").replace("្ត", "្ដ").replace("\0", "្ត")
    return swapped.replace(" ", "\u200b")


def variant_latin(value: str) -> str:
    """Another romanisation: y/i, a doubled vowel, a final h."""
    return value.replace("ey", "ei").replace("a ", "aa ").rstrip() + "h"


def officer(district: str) -> User:
    return User(username="bench", role=RoleName.DISTRICT_SSDM_ASSISTANT, area_code=district, active=True)


def samples(db: Engine, count: int) -> list[tuple[str, str, str, str]]:
    with Session(db) as session:
        rows = session.execute(
            select(Person.name_km, Person.name_latin, Person.id_number, Person.village_code)
            .order_by(func.random())
            .limit(count)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def district_count(session: Session, district: str) -> list[Any]:
    """Registrations per commune per month of a district's year: area rule and period, grouped in SQL."""
    commune = func.substr(Person.village_code, 1, 6)
    month = func.date_trunc("month", Person.created_at)
    return list(
        session.execute(
            select(commune, month, func.count())
            .where(
                within(Person.village_code, district),
                Person.created_at >= datetime(REPORT_YEAR, 1, 1),
                Person.created_at < datetime(REPORT_YEAR + 1, 1, 1),
            )
            .group_by(commune, month)
        )
    )


def naive_like(session: Session, column: str, typed: str, district: str) -> list[Any]:
    return list(
        session.execute(
            text(
                f"SELECT id FROM person WHERE {column} LIKE :pattern AND village_code LIKE :area "
                "ORDER BY id LIMIT 21"
            ),
            {"pattern": f"%{typed}%", "area": f"{district}%"},
        )
    )


def naive_count(session: Session, district: str) -> list[Any]:
    return list(
        session.execute(
            text(
                "SELECT substr(village_code, 1, 6), to_char(created_at, 'YYYY-MM'), count(*) FROM person "
                "WHERE village_code LIKE :area AND to_char(created_at, 'YYYY') = :year GROUP BY 1, 2"
            ),
            {"area": f"{district}%", "year": str(REPORT_YEAR)},
        )
    )


def measure(db: Engine, calls: list[Callable[[Session], Any]]) -> list[float]:
    times = []
    for call in calls:
        with Session(db) as session:
            began = time.perf_counter()
            call(session)
            times.append(time.perf_counter() - began)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=60)
    args = parser.parse_args()
    server = start_postgres()
    try:
        seconds = build(server.url, args.people)
        print(f"built: {args.people:,} people over {len(villages()):,} villages in {seconds:.0f} s")
        seconds = build_tokens(server.url)
        print(f"name tokens: migration 0023's backfill and keys in {seconds:.0f} s")
        db = make_engine(server.url)
        picked = samples(db, args.calls)
        cases: dict[str, tuple[list[Callable[[Session], Any]], list[Callable[[Session], Any]]]] = {
            "Khmer name (look-alike spelling)": (
                [
                    lambda s, p=p: search_people(s, user=officer(p[3][:4]), query=variant_km(p[0]))
                    for p in picked
                ],
                [lambda s, p=p: naive_like(s, "name_km", p[0], p[3][:4]) for p in picked],
            ),
            "Latin name (other romanisation)": (
                [
                    lambda s, p=p: search_people(s, user=officer(p[3][:4]), query=variant_latin(p[1]))
                    for p in picked
                ],
                [lambda s, p=p: naive_like(s, "name_latin", p[1], p[3][:4]) for p in picked],
            ),
            "ID number in Khmer digits": (
                [
                    lambda s, p=p: search_people(s, user=officer(p[3][:4]), query=to_khmer_digits(p[2]))
                    for p in picked
                ],
                [lambda s, p=p: naive_like(s, "id_number", p[2], p[3][:4]) for p in picked],
            ),
            "District monthly registrations": (
                [lambda s, p=p: district_count(s, p[3][:4]) for p in picked],
                [lambda s, p=p: naive_count(s, p[3][:4]) for p in picked],
            ),
        }
        failed = False
        print(
            "load average (1, 5, 15 min) before the measures: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        )
        print(
            f"{'':36} {'p50 ms':>8} {'p95 ms':>8} {'naive p50':>10} {'naive p95':>10} {'gain p50':>9} "
            f"{'gain p95':>9}"
        )
        for label, (fast, slow) in cases.items():
            measure(db, fast[:3] + slow[:1])  # warm the cache as a running server has it, for both
            median, p95 = summary(measure(db, fast))
            naive_median, naive_p95 = summary(measure(db, slow))
            speed = naive_median / median if median else float("inf")
            speed_p95 = naive_p95 / p95 if p95 else float("inf")
            failed |= p95 > AIM or min(speed, speed_p95) < SPEED_UP
            print(
                f"{label:36} {median * 1000:8.1f} {p95 * 1000:8.1f} {naive_median * 1000:10.1f} "
                f"{naive_p95 * 1000:10.1f} {speed:8.0f}x {speed_p95:8.0f}x"
            )
        print(
            f"aim: p95 under {AIM * 1000:.0f} ms, at least {SPEED_UP:.0f} times the baseline at p50 and p95"
        )
        print("load average (1, 5, 15 min) after the measures: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        db.dispose()
        return 1 if failed else 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
