"""User administration: administrators create, change, reset and deactivate officers; every act is audited."""

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import CODE_LENGTH, Area, AreaLevel
from webapp.domain.audit import AdminAudit
from webapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.people import ROLES, RoleName, User
from webapp.domain.text import clean_text
from webapp.services.platform.auth import end_sessions, set_password

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


@dataclass(frozen=True)
class Account:
    """What the administrator types for an officer."""

    username: str
    full_name: str
    role: str
    area_code: str
    process_owner: bool = False


def require_admin(actor: User) -> None:
    if not actor.active or actor.role != RoleName.ADMINISTRATOR:
        raise PermissionDenied(N_("Only an administrator can manage accounts."))


def list_users(session: Session, *, actor: User) -> list[User]:
    require_admin(actor)
    return list(session.scalars(select(User).order_by(User.active.desc(), User.username)))


def get_user(session: Session, *, actor: User, user_id: int) -> User:
    require_admin(actor)
    found = session.get(User, user_id)
    if found is None:
        raise NotFound(N_("Account not found."))
    return found


def create_user(session: Session, *, actor: User, account: Account, password: str) -> User:
    """A new officer, who must choose their own password at the first sign-in."""
    require_admin(actor)
    username = account.username.strip().lower()
    errors = _account_errors(session, account)
    if not username or not set(username) <= USERNAME_CHARS or len(username) > 80:
        errors["username"] = [N_("Use lower-case letters, digits, dots, dashes or underscores.")]
    elif session.scalar(select(User.id).where(User.username == username)) is not None:
        errors["username"] = [N_("This username is taken.")]
    if errors:
        raise InvalidInput(errors)
    # No password matches "!": set_password below replaces it in the same transaction.
    user = User(username=username, password_hash="!", **_fields(account), active=True)  # noqa: S106
    session.add(user)
    session.flush()
    set_password(session, user=user, password=password, must_change=True)
    _audit(session, "user_created", actor, user, None, _snapshot(user))
    return user


def update_user(session: Session, *, actor: User, user_id: int, account: Account) -> User:
    user = get_user(session, actor=actor, user_id=user_id)
    errors = _account_errors(session, account)
    if errors:
        raise InvalidInput(errors)
    before = _snapshot(user)
    for name, value in _fields(account).items():
        setattr(user, name, value)
    if (before["role"], before["area_code"]) != (user.role, user.area_code):
        end_sessions(session, user=user)  # a new role or area starts from a fresh sign-in
    session.flush()
    _audit(session, "user_changed", actor, user, before, _snapshot(user))
    return user


def reset_password(session: Session, *, actor: User, user_id: int, password: str) -> User:
    """A temporary password the officer must change at the next sign-in; their sessions end."""
    user = get_user(session, actor=actor, user_id=user_id)
    set_password(session, user=user, password=password, must_change=True)
    _audit(session, "password_reset", actor, user, None, None)
    return user


def deactivate_user(session: Session, *, actor: User, user_id: int) -> User:
    """The officer can no longer sign in and every session of theirs ends. (Their tasks go back to the shared
    list through casework.staff.deactivate_officer, which calls this.)"""
    user = get_user(session, actor=actor, user_id=user_id)
    if user.id == actor.id:
        raise InvalidInput({"user": [N_("You cannot deactivate your own account.")]})
    user.active = False
    end_sessions(session, user=user)
    session.flush()
    return user


def record_deactivation(session: Session, *, actor: User, user: User, released: list[int]) -> None:
    _audit(session, "user_deactivated", actor, user, None, {"released_tasks": released})


def reactivate_user(session: Session, *, actor: User, user_id: int) -> User:
    user = get_user(session, actor=actor, user_id=user_id)
    user.active = True
    session.flush()
    _audit(session, "user_reactivated", actor, user, None, None)
    return user


def record_own_password_change(session: Session, *, user: User) -> None:
    _audit(session, "password_changed", user, user, None, None)


def _fields(account: Account) -> dict[str, Any]:
    national = ROLES[account.role].level == AreaLevel.NATIONAL
    return {
        "full_name": clean_text(account.full_name).strip()[:120],
        "role": account.role,
        "area_code": None if national else account.area_code.strip(),
        "process_owner": bool(account.process_owner),
    }


def _account_errors(session: Session, account: Account) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not clean_text(account.full_name).strip():
        errors["full_name"] = [N_("This field is required.")]
    role = ROLES.get(account.role)
    if role is None:
        errors["role"] = [N_("Choose a value from the list.")]
    elif role.level != AreaLevel.NATIONAL:
        area = session.get(Area, account.area_code.strip()) if account.area_code.strip().isdigit() else None
        if area is None or len(area.code) != CODE_LENGTH[role.level]:
            errors["area_code"] = [N_("Choose an area at the level of this role.")]
    return errors


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "area_code": user.area_code,
        "active": user.active,
        "process_owner": user.process_owner,
    }


def _audit(
    session: Session,
    kind: str,
    actor: User,
    subject: User,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    session.add(
        AdminAudit(
            kind=kind,
            actor_id=actor.id,
            subject_id=subject.id,
            before_json=json.dumps(before, ensure_ascii=False) if before else None,
            after_json=json.dumps(after, ensure_ascii=False) if after else None,
        )
    )
    session.flush()
