"""What Sala's worker does: job kinds and periodic sweeps, from the shared contexts and every family."""

from webapp.services.assembly.installed import FAMILIES
from webapp.services.casework.documents import sweep_held_files
from webapp.services.correspondence import batches as letter_batches
from webapp.services.correspondence import letters
from webapp.services.deadlines.sweeps import (
    REPLAY_JOB,
    fire_due_timers,
    remind_at_risk,
    remind_overdue,
    replay_timers,
)
from webapp.services.notifications.delivery import DELIVERY_JOB, deliver_message
from webapp.services.platform.jobs import JobHandler, Sweep

# job kind -> handler: the shared contexts' own, then each family's.
HANDLERS: dict[str, JobHandler] = {
    letter_batches.JOB_KIND: letter_batches.render_batch,
    letters.LETTER_JOB: letters.run_letter_job,
    REPLAY_JOB: replay_timers,
    DELIVERY_JOB: deliver_message,
}
for _family in FAMILIES:
    HANDLERS.update(_family.jobs)
# name -> sweep run on every worker loop (due timers, reminders); each must be safe to run in parallel.
SWEEPS: dict[str, Sweep] = {
    "fire_due_timers": fire_due_timers,
    "sla_reminders": remind_at_risk,
    "sla_overdue": remind_overdue,
    "held_files": sweep_held_files,  # bytes of forms never saved, once their token has run out
}
