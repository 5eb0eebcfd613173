"""What the applications service relies on in the process it drives; publishing refuses a diagram without it.

`open_application` starts the process with no data, expects one ready task, the intake (lane
commune_assistant, form application_intake), and completes it with the facts below; when the case ends,
`close_case` and the result letter read `outcome` and `outcome_reason`, and only an approval issues a card.
"""

from webapp.domain.cases import Outcome
from webapp.engine import ProcessContract
from webapp.services.applications.intake import INTAKE_ROLE, PROCESS_ID
from webapp.services.applications.letters import APPROVED

INTAKE_TASK = "intake"
INTAKE_FORM = "application_intake"
REJECTED = Outcome.REJECTED
# What `_complete_intake` puts into the workflow: the facts the eligibility decision and the scripts read.
INTAKE_FACTS = frozenset(
    {
        "programme",
        "sector",
        "age",
        "sex",
        "equity_card",
        "disability",
        "pregnant",
        "living_with_hiv",
        "enrolled_in_school",
        "household_size",
        "documents",
    }
)

APPLICATION_CONTRACT = ProcessContract(
    process_id=PROCESS_ID,
    start_task=INTAKE_TASK,
    start_role=INTAKE_ROLE,
    start_form=INTAKE_FORM,
    start_variables=INTAKE_FACTS,
    end_variables=frozenset({"outcome", "outcome_reason"}),
    end_values={"outcome": frozenset({APPROVED, REJECTED})},
)

CONTRACTS = {PROCESS_ID: APPLICATION_CONTRACT}
