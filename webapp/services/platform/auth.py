"""Sign-in, sessions and passwords. Passwords are stored as salted scrypt hashes only."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.domain.errors import DomainError, InvalidInput
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.sla import USERS_STAMP
from webapp.services.platform.kept_rows import KeptRows
from webapp.services.platform.throttle import check_sign_in, record_sign_in

# Checked against when the username is unknown, so a wrong username costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200


class SignInFailed(DomainError):
    message = N_("The username or password is not right.")
    status = 401


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def authenticate(session: Session, *, username: str, password: str, client: str, now: datetime) -> User:
    """The user, or SignInFailed; TooManyAttempts when this account or address must wait first.

    Every attempt is recorded (the caller commits even a failure, so the count survives the request)."""
    check_sign_in(session, username=username, client=client, now=now)
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
    ok = user is not None and check_password_hash(user.password_hash, password) and user.active
    record_sign_in(session, username=username, client=client, succeeded=ok, now=now)
    if not ok or user is None:
        raise SignInFailed()
    return user


# Any write of app_user moves the "users" stamp in the writing transaction (migration 0035), and each request
# reads the stamp before it trusts a kept row: a closed account, a new password or an ended session is seen by
# the next request.
_ACCOUNTS = KeptRows(User, USERS_STAMP)


def load_user(session: Session, user_id: str) -> User | None:
    """The signed-in account of a request, or None when it is unknown or closed."""
    if not user_id.isdigit() or len(user_id) > 18:
        return None
    user = _ACCOUNTS.get(session, int(user_id))
    return user if user is not None and user.active else None


def end_sessions(session: Session, *, user: User) -> None:
    """Every session of this user, on every device, ends at its next request."""
    user.session_version = (user.session_version or 1) + 1
    session.flush()


def password_problems(password: str, *, username: str) -> list[str]:
    """Message ids of what is wrong with a new password; empty when it may be used."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(N_("Use at least 10 characters."))
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(N_("Use at most 200 characters."))
    if username and username.strip().lower() in password.lower():
        problems.append(N_("The password must not contain the username."))
    return problems


def set_password(session: Session, *, user: User, password: str, must_change: bool) -> None:
    """Stores a new password and ends the user's other sessions."""
    problems = password_problems(password, username=user.username)
    if problems:
        raise InvalidInput({"password": problems})
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    end_sessions(session, user=user)


def change_own_password(session: Session, *, user: User, current: str, new: str) -> None:
    """The officer changes their own password: the current one is required."""
    if not check_password_hash(user.password_hash, current):
        raise InvalidInput({"current": [N_("The current password is not right.")]})
    if check_password_hash(user.password_hash, new):
        raise InvalidInput({"password": [N_("Choose a password different from the current one.")]})
    set_password(session, user=user, password=new, must_change=False)
