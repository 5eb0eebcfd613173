"""An uploaded list of households (a paper register typed into a spreadsheet), checked before saving."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.base import Base, utcnow
from webapp.domain.messages import N_

MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class RegistryImport(Base):
    """An uploaded list of households (CSV or XLSX) checked row by row, saved only once the officer confirms.

    `rows_json` holds the parsed rows with their problems (the preview and the error report read it); the
    worker imports the valid rows in chunks, moving `processed_rows` on at each commit, so the page shows
    progress and a restarted job carries on where it stopped.
    """

    __tablename__ = "registry_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    commune_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))  # ImportStatus
    rows_json: Mapped[str] = mapped_column(Text)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    valid_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    created_people: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class ImportStatus:
    """Where an import stands: checked and waiting for the officer, being imported, or finished."""

    PREVIEWED = "previewed"
    IMPORTING = "importing"
    DONE = "done"
    CANCELLED = "cancelled"


IMPORT_STATUSES = {
    ImportStatus.PREVIEWED: N_("Checked, waiting for your confirmation"),
    ImportStatus.IMPORTING: N_("Importing"),
    ImportStatus.DONE: N_("Imported"),
    ImportStatus.CANCELLED: N_("Cancelled"),
}
