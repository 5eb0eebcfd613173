"""Each officer's choice of channels: in Sala always; e-mail and SMS (or Telegram) when they ask for them."""

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.errors import InvalidInput
from webapp.domain.messages import N_
from webapp.domain.notifications import NotificationPreference
from webapp.domain.people import User

EMAIL_ADDRESS = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$")
PHONE_OR_CHAT = re.compile(r"^\+?[0-9]{8,16}$|^@[A-Za-z0-9_]{5,32}$")  # a phone number or a Telegram name


@dataclass(frozen=True)
class Choices:
    email: str
    phone: str
    by_email: bool
    by_sms: bool


def preferences_of(session: Session, *, user: User) -> Choices:
    pref = session.get(NotificationPreference, user.id)
    if pref is None:
        return Choices("", "", False, False)
    return Choices(pref.email or "", pref.phone or "", pref.by_email, pref.by_sms)


def save_preferences(session: Session, *, user: User, choices: Choices) -> NotificationPreference:
    """Checks and stores the officer's channels; an address is required for each channel turned on."""
    email, phone = choices.email.strip(), choices.phone.replace(" ", "").strip()
    errors: dict[str, list[str]] = {}
    if email and not EMAIL_ADDRESS.match(email):
        errors["email"] = [N_("Enter an e-mail address such as name@example.gov.kh.")]
    elif choices.by_email and not email:
        errors["email"] = [N_("Give the address to send e-mail to.")]
    if phone and not PHONE_OR_CHAT.match(phone):
        errors["phone"] = [
            N_("Enter a phone number of 8 to 16 digits, or a Telegram name such as @sala_officer.")
        ]
    elif choices.by_sms and not phone:
        errors["phone"] = [N_("Give the phone number or Telegram name to send messages to.")]
    if errors:
        raise InvalidInput(errors)
    pref = session.get(NotificationPreference, user.id) or NotificationPreference(user_id=user.id)
    pref.email, pref.phone = email or None, phone or None
    pref.by_email, pref.by_sms, pref.updated_at = choices.by_email, choices.by_sms, utcnow()
    session.add(pref)
    session.flush()
    return pref
