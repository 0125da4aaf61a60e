"""Reading people out of contact files: vCard, LinkedIn's Connections.csv, any CSV.

Django-free: every parser turns bytes into candidates (plain dataclasses) and
problems (where, what was wrong). A parser never raises on bad input: a broken
card or row becomes a problem naming its card or line, and the rest of the
file is still offered. Matching against the book and saving are
goodword.transfer's work.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

FORMATS = ("vcard", "linkedin", "csv")
MAX_FIELD = 200
MAX_NOTES = 20000
PHONE_CHARACTERS = set("0123456789+-(). /x")
EMAIL_SHAPE = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")

# Column names (lower case, no spaces or punctuation) -> candidate field.
COLUMN_ALIASES = {
    "name": "name", "fullname": "name", "displayname": "name", "contact": "name", "nom": "last_name",
    "firstname": "first_name", "givenname": "first_name", "first": "first_name", "prenom": "first_name",
    "lastname": "last_name", "familyname": "last_name", "surname": "last_name", "last": "last_name",
    "email": "email", "emailaddress": "email", "email1": "email", "mail": "email", "emails": "email",
    "email2": "email", "emailaddress2": "email", "email1value": "email", "email2value": "email",
    "phone": "phone", "phonenumber": "phone", "mobile": "phone", "mobilephone": "phone", "tel": "phone",
    "telephone": "phone", "phone1value": "phone", "phone2value": "phone", "businessphone": "phone",
    "company": "organisation", "organisation": "organisation", "organization": "organisation",
    "org": "organisation", "employer": "organisation", "societe": "organisation", "entreprise": "organisation", "organizationname": "organisation",
    "organization1name": "organisation",
    "title": "title", "position": "title", "jobtitle": "title", "role": "title",
    "organization1title": "title",
    "notes": "notes", "note": "notes", "comments": "notes",
}
MAPPABLE_FIELDS = ("name", "first_name", "last_name", "email", "phone", "organisation", "title", "notes")


@dataclass
class Candidate:
    """One person read from a file; `where` names the card or line it came from."""

    where: str
    name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    organisation: str = ""
    title: str = ""
    notes: str = ""


@dataclass
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class Parsed:
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # a CSV's header, for the mapping step
    mapping: dict[str, str] = field(default_factory=dict)  # column -> field actually used


class UnreadableFile(Exception):
    """The whole file is unusable (empty, binary, not text): nothing can be offered."""


# -- text ---------------------------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str, str]:
    """The text of `data` and the encoding it was read in: a BOM wins, then UTF-8, then UTF-16
    recognised by its zero bytes, then Windows-1252 (a superset of Latin-1 for printable text)."""
    if not data.strip():
        raise UnreadableFile("The file is empty.")
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"The file says it is {name} but byte {exc.start} is not.") from None
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        even_zeros = sample[0::2].count(0)
        name = "utf-16-be" if even_zeros > sample[1::2].count(0) else "utf-16-le"
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            raise UnreadableFile("This is not a text file (it looks binary); export your contacts as vCard or CSV.") from None
    try:
        text, name = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, name = data.decode("cp1252", errors="replace"), "windows-1252"
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if "\x00" in text or controls > len(text[:4096]) // 50:
        raise UnreadableFile("This is not a text file (it looks binary); export your contacts as vCard or CSV.")
    return text, name


def guess_format(filename: str, data: bytes) -> str:
    head = data[:8192].lstrip(codecs.BOM_UTF8).lower()
    if b"begin:vcard" in head.replace(b"\x00", b"") or filename.lower().endswith((".vcf", ".vcard")):
        return "vcard"
    if b"first name,last name" in head.replace(b"\x00", b"") and (
        b"connected on" in head.replace(b"\x00", b"") or b"linkedin" in head.replace(b"\x00", b"")
    ):
        return "linkedin"
    return "csv"


def parse(data: bytes, fmt: str, mapping: dict[str, str] | None = None, progress=None) -> Parsed:
    """Candidates and problems of a file in `fmt`; an unusable file gives one problem and no candidates.

    progress(line, total_lines), when given, is called as the reading goes (the CLI's progress bar)."""
    try:
        text, _ = decode(data)
        if fmt == "vcard":
            return parse_vcard(text, progress)
        if fmt == "linkedin":
            return parse_linkedin(text, progress)
        return parse_csv(text, mapping, progress=progress)
    except UnreadableFile as exc:
        return Parsed(problems=[Problem("", str(exc))])


# -- cleaning one person --------------------------------------------------------------------------------

def _clip(value: str, limit: int, label: str, where: str, problems: list[Problem]) -> str:
    value = " ".join(str(value).split()) if limit <= MAX_FIELD else str(value).strip()
    if len(value) > limit:
        problems.append(Problem(where, f"the {label} is longer than {limit} characters; it was shortened."))
        value = value[:limit]
    return value


def clean(candidate: Candidate, problems: list[Problem]) -> Candidate | None:
    """Validated, deduplicated fields; None (with a problem) when nothing identifies the person."""
    where = candidate.where
    emails, phones = [], []
    for raw in candidate.emails:
        email = raw.strip().strip("<>").strip()
        if not email:
            continue
        if len(email) > 254 or not EMAIL_SHAPE.match(email):
            problems.append(Problem(where, f"“{email[:60]}” is not an email address; it was left out."))
        elif email.lower() not in (e.lower() for e in emails):
            emails.append(email)
    for raw in candidate.phones:
        phone = " ".join(raw.replace("\u00a0", " ").split())
        if phone.lower().startswith("tel:"):
            phone = phone[4:]
        if not phone:
            continue
        if len(phone) > 40 or set(phone) - PHONE_CHARACTERS or not any(ch.isdigit() for ch in phone):
            problems.append(Problem(where, f"“{phone[:40]}” is not a phone number; it was left out."))
        elif phone not in phones:
            phones.append(phone)
    if len(emails) > 10:
        problems.append(Problem(where, f"{len(emails)} email addresses; the first 10 were kept."))
        emails = emails[:10]
    if len(phones) > 10:
        problems.append(Problem(where, f"{len(phones)} phone numbers; the first 10 were kept."))
        phones = phones[:10]
    name = _clip(candidate.name, MAX_FIELD, "name", where, problems)
    organisation = _clip(candidate.organisation, MAX_FIELD, "organisation", where, problems)
    title = _clip(candidate.title, MAX_FIELD, "title", where, problems)
    notes = _clip(candidate.notes, MAX_NOTES, "note", where, problems)
    if not name:
        name = emails[0] if emails else ""
    if not name:
        problems.append(Problem(where, "no name and no email address; skipped."))
        return None
    return Candidate(where, name, emails, phones, organisation, title, notes)


# -- vCard ----------------------------------------------------------------------------------------------

def _unfold_quoted_printable(lines: list[str]) -> list[str]:
    """vCard 2.1 (phones still write it) continues a quoted-printable value with a final '=',
    which vobject does not join."""
    joined: list[str] = []
    carrying = False
    for line in lines:
        if carrying and joined:
            joined[-1] = joined[-1][:-1] + line.lstrip()
        else:
            joined.append(line)
        carrying = "QUOTED-PRINTABLE" in joined[-1].upper().split(":", 1)[0] and joined[-1].endswith("=")
    return joined


def _cards(text: str):
    """(first line number, lines) of each BEGIN:VCARD…END:VCARD block; stray lines become problems."""
    block: list[str] | None = None
    start = 0
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if block is not None and depth == 0:
                yield start, block, "it has no END:VCARD before the next card"
            if block is None or depth == 0:
                block, start, depth = [], number, 0
            depth += 1
            block.append(line)
        elif block is not None:
            block.append(line)
            if upper == "END:VCARD":
                depth -= 1
                if depth == 0:
                    yield start, block, None
                    block = None
    if block is not None:
        yield start, block, "the file ends before its END:VCARD"


def parse_vcard(text: str, progress=None) -> Parsed:
    import vobject

    result = Parsed()
    count = 0
    total = text.count("\n") + 1 if progress else 0
    for start, lines, defect in _cards(text):
        count += 1
        if progress and count % 100 == 0:
            progress(start, total)
        where = f"card {count} (line {start})"
        if defect:
            result.problems.append(Problem(where, f"{defect}; read as far as it goes."))
            if lines[-1].strip().upper() != "END:VCARD":
                lines = [*lines, "END:VCARD"]
        try:
            card = vobject.readOne("\r\n".join(_unfold_quoted_printable(lines)) + "\r\n")
            candidate = _candidate_from_card(card, where)
        except Exception as exc:  # noqa: BLE001  (vobject raises many kinds on malformed cards)
            reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
            result.problems.append(Problem(where, f"this card could not be read ({reason}); skipped."))
            continue
        kept = clean(candidate, result.problems)
        if kept:
            result.candidates.append(kept)
    if count == 0:
        result.problems.append(Problem("", "No BEGIN:VCARD found: this is not a vCard file."))
    return result


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(_text(item) for item in value if _text(item))
    if isinstance(value, bytes):
        return ""
    return str(value or "").strip()


def _candidate_from_card(card, where: str) -> Candidate:
    contents = card.contents
    name = _text(contents["fn"][0].value) if "fn" in contents else ""
    if not name and "n" in contents:
        n = contents["n"][0].value
        name = " ".join(part for part in (_text(getattr(n, "prefix", "")), _text(getattr(n, "given", "")),
                                          _text(getattr(n, "additional", "")), _text(getattr(n, "family", ""))) if part)
    org = ""
    if "org" in contents:
        value = contents["org"][0].value
        org = _text(value[0] if isinstance(value, (list, tuple)) and value else value)
    title = _text(contents["title"][0].value) if "title" in contents else ""
    if not title and "role" in contents:
        title = _text(contents["role"][0].value)
    notes = "\n".join(_text(line.value) for line in contents.get("note", []) if _text(line.value))
    return Candidate(
        where=where, name=name, organisation=org, title=title, notes=notes,
        emails=[_text(line.value) for line in contents.get("email", [])],
        phones=[_text(line.value) for line in contents.get("tel", [])],
    )


# -- CSV ------------------------------------------------------------------------------------------------

def _column_key(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def guess_mapping(columns: list[str]) -> dict[str, str]:
    return {column: COLUMN_ALIASES[_column_key(column)] for column in columns if _column_key(column) in COLUMN_ALIASES}


def _dialect(sample: str):
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        delimiter = max(",;\t|", key=first.count)

        class Guessed(csv.excel):
            pass

        Guessed.delimiter = delimiter
        return Guessed


def parse_csv(text: str, mapping: dict[str, str] | None = None, *, skip_lines: int = 0, progress=None) -> Parsed:
    """Rows of a CSV with a header, columns mapped by name (or by `mapping`, column -> field)."""
    result = Parsed()
    lines = text.splitlines(keepends=True)
    body = "".join(lines[skip_lines:])
    if not body.strip():
        result.problems.append(Problem("", "The file has no header row."))
        return result
    csv.field_size_limit(MAX_NOTES * 10)
    reader = csv.reader(io.StringIO(body, newline=""), _dialect(body[:8192]))
    try:
        header = next(reader)
    except csv.Error as exc:
        result.problems.append(Problem(f"line {skip_lines + 1}", f"the header could not be read ({exc})."))
        return result
    header = [column.strip().lstrip("\ufeff") for column in header]
    result.columns = header
    if mapping is not None:
        used = {column: target for column, target in mapping.items() if column in header and target in MAPPABLE_FIELDS}
    else:
        used = guess_mapping(header)
    result.mapping = used
    if not any(target in ("name", "first_name", "last_name", "email") for target in used.values()):
        result.problems.append(Problem(
            f"line {skip_lines + 1}",
            "no column is a name or an email (columns: " + ", ".join(header[:20]) + "); map the columns to fields.",
        ))
        return result
    positions = [(index, used[column]) for index, column in enumerate(header) if column in used]
    while True:
        line_number = skip_lines + reader.line_num + 1
        if progress and line_number % 500 == 0:
            progress(line_number, len(lines))
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.problems.append(Problem(f"line {line_number}", f"this row could not be read ({exc}); "
                                                                  "the rest of the file was not read."))
            break
        where = f"line {line_number}"
        if any("\n" in cell for cell in row):
            result.problems.append(Problem(where, f"a quoted field runs on to line {skip_lines + reader.line_num} "
                                                  "(or the end of the file); a closing quote may be missing."))
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            result.problems.append(Problem(where, f"{len(row)} fields where the header has {len(header)}; "
                                                  "the extra ones were ignored."))
        values: dict[str, list[str]] = {}
        for index, target in positions:
            if index < len(row) and row[index].strip():
                values.setdefault(target, []).append(row[index].strip())
        name = " ".join(values.get("name", [])) or " ".join(
            part for part in (" ".join(values.get("first_name", [])), " ".join(values.get("last_name", []))) if part)
        emails = [part for cell in values.get("email", []) for part in re.split(r"[;,\s]+", cell) if part]
        candidate = Candidate(
            where=where, name=name, emails=emails, phones=values.get("phone", []),
            organisation=" ".join(values.get("organisation", [])), title=" ".join(values.get("title", [])),
            notes="\n".join(values.get("notes", [])),
        )
        kept = clean(candidate, result.problems)
        if kept:
            result.candidates.append(kept)
    if not result.candidates and not result.problems:
        result.problems.append(Problem("", "The file has a header but no rows."))
    return result


def parse_linkedin(text: str, progress=None) -> Parsed:
    """LinkedIn's Connections.csv: a few lines of notes, then First Name,Last Name,URL,Email Address,…"""
    lines = text.splitlines()
    skip = next((index for index, line in enumerate(lines[:50])
                 if _column_key(line).startswith("firstnamelastname")), None)
    if skip is None:
        return Parsed(problems=[Problem("", "No “First Name,Last Name,…” header in the first 50 lines: "
                                            "this is not LinkedIn's Connections.csv.")])
    mapping = {"First Name": "first_name", "Last Name": "last_name", "Email Address": "email",
               "Company": "organisation", "Position": "title"}
    return parse_csv(text, mapping, skip_lines=skip, progress=progress)
