"""What Sala's worker does: job kinds and periodic sweeps, each provided by the service it serves."""

from webapp.services.applications.resubmission import run_resubmission
from webapp.services.correspondence import batches as letter_batches
from webapp.services.correspondence import letters
from webapp.services.deadlines.sweeps import REPLAY_JOB, fire_due_timers, remind_at_risk, replay_timers
from webapp.services.grievances.progress import RESUBMIT_JOB
from webapp.services.platform.jobs import JobHandler, Sweep

# job kind -> handler; a service adds its own entry next to the code it runs.
HANDLERS: dict[str, JobHandler] = {
    letter_batches.JOB_KIND: letter_batches.render_batch,
    letters.APPLICATION_LETTER_JOB: letters.run_application_letter,
    RESUBMIT_JOB: run_resubmission,
    REPLAY_JOB: replay_timers,
}
# name -> sweep run on every worker loop (due timers, reminders); each must be safe to run in parallel.
SWEEPS: dict[str, Sweep] = {"fire_due_timers": fire_due_timers, "sla_reminders": remind_at_risk}
