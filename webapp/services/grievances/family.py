"""The grievance family as the core sees it: its processes, step hook, confidentiality rule and jobs."""

from webapp.domain.jobs import APPEAL_NSSF_DECISION
from webapp.domain.messages import N_
from webapp.services.casework.families import Family
from webapp.services.grievances.confidentiality import may_read_case
from webapp.services.grievances.contracts import CONTRACTS
from webapp.services.grievances.intake import SOCIAL_SECURITY_PROCESS, SSDM_PROCESS
from webapp.services.grievances.level_one import decision_context
from webapp.services.grievances.nssf_appeals import run_nssf_appeal
from webapp.services.grievances.progress import follow_grievance

FAMILY = Family(
    name="grievances",
    processes=(SSDM_PROCESS, SOCIAL_SECURITY_PROCESS),
    on_step=follow_grievance,  # level, status, decision and letters follow each step
    may_read_personal=may_read_case,
    contracts=CONTRACTS,  # what publishing must keep in each process
    jobs={APPEAL_NSSF_DECISION: run_nssf_appeal},  # an NSSF fine appealed: a social security complaint
    reports={"grievances.report": N_("Monthly grievance report")},
    decision_context=decision_context,  # the first-round answer beside a level-2 decision
)
