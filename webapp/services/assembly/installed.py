"""The installed process families and what shared contexts add to every step: the one list to extend."""

from webapp.services.applications.family import FAMILY as APPLICATIONS
from webapp.services.casework import kept_totals
from webapp.services.casework.families import (
    Family,
    observe_completions,
    observe_reassignments,
    observe_tasks,
    register_family,
)
from webapp.services.deadlines import case_times
from webapp.services.deadlines.due_times import on_task_completed, on_tasks_opened
from webapp.services.deadlines.sweeps import listen_to_deadlines
from webapp.services.grievances.family import FAMILY as GRIEVANCES
from webapp.services.notifications import alerts
from webapp.services.notifications.channels import ChannelConfig, configure_channels
from webapp.services.nssf.family import FAMILY as NSSF
from webapp.services.registry.family import FAMILY as REGISTRY
from webapp.settings import Settings

FAMILIES: tuple[Family, ...] = (APPLICATIONS, GRIEVANCES, NSSF, REGISTRY)


def install(settings: Settings | None = None) -> None:
    """Registers every family, the deadline hook and the notifications with the core; safe to call more
    than once. With `settings`, the e-mail and SMS channels the notifications' worker job sends through."""
    for family in FAMILIES:
        register_family(family)
    observe_tasks(on_tasks_opened)
    observe_tasks(alerts.on_tasks_opened)  # after the deadlines: a notice of a task knows its due time
    observe_reassignments(alerts.on_task_reassigned)
    observe_completions(on_task_completed)  # the working time of each completed step, for the SLA report
    listen_to_deadlines(alerts.on_deadline)
    kept_totals.install()  # the monitoring report's population and enrolments
    case_times.install()  # and its processing times
    if settings is not None:
        configure_channels(channel_config(settings))


def channel_config(settings: Settings) -> ChannelConfig:
    return ChannelConfig(
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        smtp_user=settings.smtp_user,
        smtp_password=settings.smtp_password,
        smtp_from=settings.smtp_from,
        smtp_starttls=settings.smtp_starttls,
        sms_url=settings.sms_gateway_url,
        sms_token=settings.sms_gateway_token,
        sms_timeout=settings.sms_gateway_timeout,
        public_url=settings.public_url or ChannelConfig.public_url,
    )
