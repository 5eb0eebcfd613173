"""The registry family as the core sees it: the SSDM registration process, its hooks and its contract."""

from webapp.services.casework.families import Family
from webapp.services.registry.importing import IMPORT_JOB, run_import
from webapp.services.registry.registration import PROCESS_ID
from webapp.services.registry.registration_steps import CONTRACTS, follow_registration, issue_membership_card

FAMILY = Family(
    name="registry",
    processes=(PROCESS_ID,),
    on_step=follow_registration,  # a registration completed from the task page names its head by SPID
    on_close=issue_membership_card,  # the SSDM membership card once the district confirms the household
    jobs={IMPORT_JOB: run_import},  # an uploaded household list, imported in committed chunks
    contracts=CONTRACTS,  # what publishing must keep in the process
)
