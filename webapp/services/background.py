"""What Sala's worker does: job kinds and periodic sweeps, each provided by the service it serves."""

from webapp.services.jobs import JobHandler, Sweep

# job kind -> handler; a service adds its own entry next to the code it runs.
HANDLERS: dict[str, JobHandler] = {}
# name -> sweep run on every worker loop (due timers, reminders); each must be safe to run in parallel.
SWEEPS: dict[str, Sweep] = {}
