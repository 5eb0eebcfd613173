"""The NSSF formalization family as the core sees it: its processes, step and close hooks, and contracts."""

from webapp.services.casework.families import Family
from webapp.services.nssf.cards import CARD_SHEET_JOB, render_card_sheet
from webapp.services.nssf.checks import JOBS as CHECK_JOBS
from webapp.services.nssf.contracts import CONTRACTS
from webapp.services.nssf.letters import nssf_letterhead
from webapp.services.nssf.progress import close_nssf, follow_nssf
from webapp.services.nssf.records import COMPLIANCE_PROCESS, ENTERPRISE_PROCESS, MEMBER_PROCESS

FAMILY = Family(
    name="nssf",
    processes=(ENTERPRISE_PROCESS, MEMBER_PROCESS, COMPLIANCE_PROCESS),
    on_step=follow_nssf,  # the documents request letter; the four-eyes rule of compliance decisions
    on_close=close_nssf,  # employer and member numbers, the certificate, cards, fine and waiver letters
    # member cards ten to a sheet; the registry, ID and compliance checks cases wait on
    jobs={CARD_SHEET_JOB: render_card_sheet, **CHECK_JOBS},
    contracts=CONTRACTS,
    letterhead=nssf_letterhead,  # the NSSF branch or head office, signed by its chief
)
