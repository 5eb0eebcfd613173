"""What the NSSF services rely on in the processes they drive; publishing refuses a diagram without it.

Each case starts with facts the service writes (no start task: officers do every step) and ends with
`outcome`, which the close hook reads to update the registry and choose the letter."""

from webapp.domain.cases import Outcome
from webapp.engine import ProcessContract
from webapp.services.nssf.records import COMPLIANCE_PROCESS, ENTERPRISE_PROCESS, MEMBER_PROCESS

CONTRACTS = {
    ENTERPRISE_PROCESS: ProcessContract(
        process_id=ENTERPRISE_PROCESS,
        start_variables=frozenset({"registry_status", "channel", "enterprise_id"}),
        end_variables=frozenset({"outcome", "outcome_reason"}),
        end_values={"outcome": frozenset({Outcome.APPROVED, Outcome.REJECTED})},
    ),
    MEMBER_PROCESS: ProcessContract(
        process_id=MEMBER_PROCESS,
        start_variables=frozenset({"ids_unverified", "member_count", "kind"}),
        end_variables=frozenset({"outcome", "outcome_reason"}),
        end_values={"outcome": frozenset({Outcome.APPROVED, Outcome.REJECTED})},
    ),
    COMPLIANCE_PROCESS: ProcessContract(
        process_id=COMPLIANCE_PROCESS,
        start_variables=frozenset({"finding", "notice_days", "registered"}),
        end_variables=frozenset({"outcome", "outcome_reason"}),
        end_values={"outcome": frozenset({"compliant", "fined", "waived"})},
    ),
}
