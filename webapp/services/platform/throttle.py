"""Slowing down guessing: sign-in attempts per account and address, and anonymous look-ups per address.

Attempts live in tables, so every gunicorn process and every machine sees the same counts. The rules are
built so that throttling cannot be turned against a real officer: the hard waits apply to one account from one
address (or to one address trying many accounts); an account attacked from elsewhere is only slowed down,
for at most two minutes, and never for an address it signed in from before.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from webapp.domain.errors import DomainError
from webapp.domain.messages import N_
from webapp.domain.security import PublicLookup, SignInAttempt

WINDOW = timedelta(minutes=15)
KNOWN_FOR = timedelta(days=30)  # an address the account signed in from within this time is "known"
FIRST_WAIT = timedelta(seconds=30)


@dataclass(frozen=True)
class Limit:
    free: int  # failures allowed before any wait
    longest: timedelta  # the wait doubles with each further failure up to this

    def wait(self, failures: int) -> timedelta:
        if failures < self.free:
            return timedelta(0)
        return min(FIRST_WAIT * 2 ** min(failures - self.free, 20), self.longest)


PAIR = Limit(free=5, longest=timedelta(minutes=15))  # one account from one address
ADDRESS = Limit(free=30, longest=timedelta(minutes=15))  # one address, any account
ACCOUNT = Limit(free=10, longest=timedelta(minutes=2))  # one account from unknown addresses: slows only


class TooManyAttempts(DomainError):
    message = N_("Too many attempts. Try again in %(minutes)s minute(s).")
    status = 429

    def __init__(self, wait: timedelta) -> None:
        super().__init__(minutes=max(1, math.ceil(wait.total_seconds() / 60)))
        self.wait = wait


def client_hash(client: str, *, purpose: str = "sign-in") -> str:
    """The address itself is never stored."""
    return hashlib.sha256(f"sala-{purpose}:{client}".encode()).hexdigest()


def check_sign_in(session: Session, *, username: str, client: str, now: datetime) -> None:
    """Raises TooManyAttempts before the password is even looked at."""
    name, address = _name(username), client_hash(client)
    session.execute(
        delete(SignInAttempt).where(
            or_(
                and_(SignInAttempt.succeeded.is_(False), SignInAttempt.at < now - WINDOW),
                SignInAttempt.at < now - KNOWN_FOR,
            )
        )
    )
    waits = [_pair_wait(session, name, address, now), _address_wait(session, address, now)]
    if not _known_address(session, name, address):
        waits.append(_account_wait(session, name, now))
    longest = max(waits)
    if longest > timedelta(0):
        raise TooManyAttempts(longest)


def record_sign_in(session: Session, *, username: str, client: str, succeeded: bool, now: datetime) -> None:
    session.add(
        SignInAttempt(username=_name(username), client_hash=client_hash(client), succeeded=succeeded, at=now)
    )
    session.flush()


def _name(username: str) -> str:
    return username.strip().lower()[:80]


def _remaining(limit: Limit, failures: int, last: datetime | None, now: datetime) -> timedelta:
    if last is None:
        return timedelta(0)
    return max(timedelta(0), last + limit.wait(failures) - now)


def _failures(session: Session, *conditions: object) -> tuple[int, datetime | None]:
    row = session.execute(
        select(func.count(), func.max(SignInAttempt.at)).where(
            SignInAttempt.succeeded.is_(False),
            *conditions,  # type: ignore[arg-type]
        )
    ).one()
    return int(row[0] or 0), row[1]


def _pair_wait(session: Session, name: str, address: str, now: datetime) -> timedelta:
    """Failures of this account from this address since its last success there."""
    last_success = session.scalar(
        select(func.max(SignInAttempt.at)).where(
            SignInAttempt.username == name, SignInAttempt.client_hash == address, SignInAttempt.succeeded
        )
    )
    since = max(now - WINDOW, last_success) if last_success else now - WINDOW
    count, last = _failures(
        session,
        SignInAttempt.username == name,
        SignInAttempt.client_hash == address,
        SignInAttempt.at > since,
    )
    return _remaining(PAIR, count, last, now)


def _address_wait(session: Session, address: str, now: datetime) -> timedelta:
    count, last = _failures(session, SignInAttempt.client_hash == address, SignInAttempt.at > now - WINDOW)
    return _remaining(ADDRESS, count, last, now)


def _account_wait(session: Session, name: str, now: datetime) -> timedelta:
    count, last = _failures(session, SignInAttempt.username == name, SignInAttempt.at > now - WINDOW)
    return _remaining(ACCOUNT, count, last, now)


def _known_address(session: Session, name: str, address: str) -> bool:
    found = session.scalar(
        select(SignInAttempt.id)
        .where(SignInAttempt.username == name, SignInAttempt.client_hash == address, SignInAttempt.succeeded)
        .limit(1)
    )
    return found is not None


# Anonymous look-ups of public pages (a letter's verification): a rolling window per hashed address.
LOOKUP_WINDOW = timedelta(minutes=10)
LOOKUP_LIMIT = 20


def check_public_lookup(session: Session, *, page: str, client: str, now: datetime) -> None:
    """Counts this look-up and refuses it past the limit; the count is per page and per hashed address."""
    address = client_hash(client, purpose=page)
    session.execute(delete(PublicLookup).where(PublicLookup.at < now - LOOKUP_WINDOW))
    recent = session.scalar(
        select(func.count()).where(PublicLookup.page == page, PublicLookup.client_hash == address)
    )
    if (recent or 0) >= LOOKUP_LIMIT:
        raise TooManyAttempts(LOOKUP_WINDOW)
    session.add(PublicLookup(page=page, client_hash=address, at=now))
    session.flush()
