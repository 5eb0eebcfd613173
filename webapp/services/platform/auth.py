"""Sign-in and password handling. Passwords are stored as salted scrypt hashes only."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.domain.errors import DomainError
from webapp.domain.people import User

# Checked against when the username is unknown, so a wrong username costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password")


class SignInFailed(DomainError):
    message = "The username or password is not right."
    status = 401


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def authenticate(session: Session, *, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        raise SignInFailed()
    if not check_password_hash(user.password_hash, password) or not user.active:
        raise SignInFailed()
    return user


def load_user(session: Session, user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = session.get(User, int(user_id))
    return user if user is not None and user.active else None
