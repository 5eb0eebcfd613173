"""The SSDM programme application family as the core sees it: its process, hooks and jobs."""

from webapp.domain.jobs import RESUBMIT_APPLICATION
from webapp.services.applications.contracts import CONTRACTS
from webapp.services.applications.decision import decision_context
from webapp.services.applications.intake import PROCESS_ID
from webapp.services.applications.letters import queue_result_letters
from webapp.services.applications.progress import record_eligibility
from webapp.services.applications.resubmission import run_resubmission
from webapp.services.casework.families import Family

FAMILY = Family(
    name="applications",
    processes=(PROCESS_ID,),
    on_result=record_eligibility,  # the decision table's result, written with the step
    on_close=queue_result_letters,  # the result letter, and the card with an approval
    jobs={RESUBMIT_APPLICATION: run_resubmission},
    contracts=CONTRACTS,  # what publishing must keep in the process
    decision_context=decision_context,  # eligibility and the household beside each decision
)
