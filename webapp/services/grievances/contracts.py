"""What the grievance services rely on in the processes they drive; publishing refuses a diagram without it.

`record_grievance` starts a case with the facts below and completes no task itself: every step is a
person's. `follow_grievance` reads `decided_level`, `decision` and `outcome` after each step (with
`decision_reason` and `adr_method` when set): a case that ends without `decided_level` would never be
marked resolved nor send its decision letter, and `outcome` "resubmitted" is what reopens the application.
"""

from webapp.engine import ProcessContract
from webapp.services.grievances.intake import SOCIAL_SECURITY_PROCESS, SSDM_PROCESS

# What `_open` puts into the workflow when it starts a case (`case_reference` by `open_case`).
OPENING_FACTS = frozenset(
    {"case_reference", "category", "level1_at", "recorded_by_vdc", "appeal", "escalated_by_breach"}
)
DECIDED = "decided"
RESUBMITTED = "resubmitted"
END_VARIABLES = frozenset({"decided_level", "decision", "outcome"})


def _contract(process_id: str) -> ProcessContract:
    return ProcessContract(
        process_id=process_id,
        start_variables=OPENING_FACTS,
        end_variables=END_VARIABLES,
        end_values={"outcome": frozenset({DECIDED, RESUBMITTED})},
    )


CONTRACTS = {process_id: _contract(process_id) for process_id in (SSDM_PROCESS, SOCIAL_SECURITY_PROCESS)}
