"""The registry family as the core sees it. The SSDM registration process is added to `processes` by its
use cases; until then the family has no process and is not in `assembly.installed.FAMILIES`."""

from webapp.services.casework.families import Family

FAMILY = Family(name="registry", processes=())
