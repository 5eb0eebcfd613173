"""Reading an uploaded household list (CSV or XLSX) into rows, and checking each row as the registration form
would: every refusal is a message id, so the preview and the error report speak the officer's language."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from webapp.domain.errors import InvalidInput
from webapp.domain.khmer_names import clean_name, id_number_key, is_id_number, to_ascii_digits
from webapp.domain.messages import N_
from webapp.domain.registry import EQUITY_CARDS, ID_KINDS, SEXES, Relationship
from webapp.domain.registry_imports import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS
from webapp.domain.text import clean_text

# The columns, each with the headers it is known by (English or Khmer, any case).
COLUMNS: dict[str, tuple[str, ...]] = {
    "household": ("household", "household number", "គ្រួសារ", "លេខគ្រួសារ"),
    "relationship": ("relationship", "relationship to the head", "ត្រូវជា"),
    "name_km": ("name_km", "name in khmer", "ឈ្មោះ", "ឈ្មោះខ្មែរ"),
    "name_latin": ("name_latin", "name in latin letters", "name", "ឈ្មោះឡាតាំង"),
    "sex": ("sex", "ភេទ"),
    "date_of_birth": ("date_of_birth", "date of birth", "ថ្ងៃខែឆ្នាំកំណើត"),
    "id_kind": ("id_kind", "kind of id"),
    "id_number": ("id_number", "id number", "លេខអត្តសញ្ញាណប័ណ្ណ"),
    "village": ("village", "village code", "ភូមិ", "លេខកូដភូមិ"),
    "equity_card": ("equity_card", "equity card", "ប័ណ្ណសមធម៌"),
    "disability": ("disability", "ពិការភាព"),
    "phone": ("phone", "ទូរស័ព្ទ"),
    "occupation": ("occupation", "មុខរបរ"),
    "family_book_number": ("family_book_number", "family book number", "លេខសៀវភៅគ្រួសារ"),
}
REQUIRED = (
    "household",
    "relationship",
    "name_km",
    "name_latin",
    "sex",
    "date_of_birth",
    "id_number",
    "village",
)
SEX_WORDS = {"female": "female", "f": "female", "ស្រី": "female", "male": "male", "m": "male", "ប្រុស": "male"}
YES = {"yes", "y", "true", "1", "បាទ", "ចាស", "មាន"}
NO = {"", "no", "n", "false", "0", "ទេ", "គ្មាន"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
MAX_CELL = 200
VILLAGE_CODE = re.compile(r"\d{8}")
MISSING_COLUMNS = N_(
    "The first row must name the columns: household, relationship, name_km, name_latin, sex, "
    "date_of_birth, id_number and village (then, if you have them: id_kind, equity_card, disability, "
    "phone, occupation and family_book_number)."
)


@dataclass
class Row:
    number: int  # the line in the file (the header is line 1)
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # message ids
    duplicates: list[str] = field(default_factory=list)  # "SPID name (reason)" or "row N"


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """The file's rows as column -> text; InvalidInput (field `file`) says plainly what is wrong with it."""
    if not content:
        raise _refused(N_("The file is empty."))
    if len(content) > MAX_IMPORT_BYTES:
        raise _refused(N_("The file is larger than 2 MB: split it into several lists."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _xlsx(content)
    elif name.endswith(".csv"):
        table = _csv(content)
    else:
        raise _refused(N_("Upload a CSV file or an Excel workbook (.xlsx)."))
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise _refused(N_("The file is empty."))
    columns = _columns(table[0])
    rows = [
        {
            column: clean_text(row[index]).strip()[:MAX_CELL] if index < len(row) else ""
            for column, index in columns.items()
        }
        for row in table[1:]
    ]
    if not rows:
        raise _refused(N_("The file has a header but no rows."))
    if len(rows) > MAX_IMPORT_ROWS:
        raise _refused(N_("The file has more than 5,000 rows: split it into several lists."))
    return rows


def check_row(number: int, raw: dict[str, str], *, villages: set[str]) -> Row:
    """The row's values in stored form, with a message id for each problem found."""
    row = Row(number=number, raw=raw)
    for column in REQUIRED:
        if not raw.get(column):
            row.problems.append(_MISSING[column])
    row.values["household"] = raw.get("household", "")
    row.values["relationship"] = _choice(
        row, raw.get("relationship", "").lower(), set(Relationship), N_("Unknown relationship to the head.")
    )
    row.values["name_km"] = clean_name(raw.get("name_km", ""))
    row.values["name_latin"] = clean_name(raw.get("name_latin", ""))
    sex = SEX_WORDS.get(raw.get("sex", "").lower(), "")
    if raw.get("sex") and sex not in SEXES:
        row.problems.append(N_("Sex must be female or male."))
    row.values["sex"] = sex
    row.values["date_of_birth"] = _birth(row, raw.get("date_of_birth", ""))
    kind = (raw.get("id_kind") or "national_id").lower()
    row.values["id_kind"] = _choice(row, kind, set(ID_KINDS), N_("Unknown kind of ID."))
    number_key = id_number_key(raw.get("id_number", ""))
    if raw.get("id_number") and not is_id_number(number_key):
        row.problems.append(N_("The ID number has characters an ID card does not have."))
    row.values["id_number"] = number_key
    village = to_ascii_digits(raw.get("village", ""))
    if raw.get("village") and (not VILLAGE_CODE.fullmatch(village) or village not in villages):
        row.problems.append(N_("The village is not a village of your commune."))
    row.values["village"] = village
    card = (raw.get("equity_card") or "none").lower()
    row.values["equity_card"] = _choice(row, card, set(EQUITY_CARDS), N_("Unknown equity card."))
    disability = raw.get("disability", "").lower()
    if disability not in YES | NO:
        row.problems.append(N_("Disability must be yes or no."))
    row.values["disability"] = disability in YES
    for column in ("phone", "occupation", "family_book_number"):
        row.values[column] = clean_name(raw.get(column, ""))
    return row


def _birth(row: Row, text: str) -> date | None:
    if not text:
        return None
    text = to_ascii_digits(text).strip()
    for form in DATE_FORMATS:
        try:
            day = datetime.strptime(text[:10] if form == "%Y-%m-%d" else text, form).date()
        except ValueError:
            continue
        if date(1900, 1, 1) <= day <= date.today():
            return day
        break
    row.problems.append(N_("The date of birth is not a real date (write it 1980-05-31 or 31/05/1980)."))
    return None


def _choice(row: Row, value: str, allowed: set[str], problem: str) -> str:
    if value and value not in allowed:
        row.problems.append(problem)
        return ""
    return value


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = clean_name(cell).lower()
        for column, names in COLUMNS.items():
            if text in names and column not in found:
                found[column] = index
    if any(column not in found for column in REQUIRED):
        raise _refused(MISSING_COLUMNS)
    return found


def _csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refused(N_("The CSV file is not UTF-8 text: save it again as CSV UTF-8.")) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise _refused(N_("The CSV file cannot be read: check its quotes and separators.")) from error


def _xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise _refused(N_("The Excel file cannot be read: save it again as an .xlsx workbook.")) from error
    try:
        sheet = book.worksheets[0]
        table = []
        for index, values in enumerate(sheet.iter_rows(values_only=True)):
            if index > MAX_IMPORT_ROWS + 1:
                raise _refused(N_("The file has more than 5,000 rows: split it into several lists."))
            table.append([_cell(value) for value in values])
        return table
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an ID or village code typed as a number
    return str(value)


def _refused(message: str) -> InvalidInput:
    return InvalidInput({"file": [message]})


_MISSING = {
    "household": N_("The household number is missing."),
    "relationship": N_("The relationship to the head is missing."),
    "name_km": N_("The name in Khmer is missing."),
    "name_latin": N_("The name in Latin letters is missing."),
    "sex": N_("The sex is missing."),
    "date_of_birth": N_("The date of birth is missing."),
    "id_number": N_("The ID number is missing."),
    "village": N_("The village is missing."),
}
