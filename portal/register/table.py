"""Reading an uploaded register file (CSV or XLSX) into rows of text, and writing one back."""
import csv
import datetime
import decimal
import io


from portal.i18n import _

XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(ValueError):
    pass


def cell_text(value):
    """A spreadsheet cell as the text a person typed: 1201.0 -> '1201', 88.5 -> '88.5'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(decimal.Decimal(repr(value)).normalize(), "f")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value).strip()


def read_rows(filename, data):
    """Every row of the file as a list of strings (the header row included)."""
    if data.startswith(XLSX_MAGIC) or (filename or "").lower().endswith(".xlsx"):
        from openpyxl import load_workbook     # here: every process imports this module, few read XLSX

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a broken file
            raise UnreadableFile(_("The file is not a readable XLSX workbook.")) from None
        sheet = book.worksheets[0]
        rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(_("The file is neither UTF-8 nor GB18030 text."))
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value):
    """A cell a spreadsheet will not run: text starting with = + - @, a tab or a CR gets a leading
    single quote (OWASP's CSV injection advice); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutral_rows(header, rows):
    return [neutral(h) for h in header], ([neutral(v) for v in row] for row in rows)


def write_csv(header, rows):
    """Every export's CSV: formulas neutralised, UTF-8 with a BOM."""
    header, rows = neutral_rows(header, rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")   # the BOM lets Excel read UTF-8


def write_xlsx(header, rows, sheet_title="register"):
    """Every export's XLSX: formulas neutralised (openpyxl would store "=..." as a formula)."""
    from openpyxl import Workbook     # here: every process (the tick, the workers) imports this module

    header, rows = neutral_rows(header, rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
