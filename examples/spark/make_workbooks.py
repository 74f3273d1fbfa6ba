"""Generate the example's Spark workbooks with openpyxl (no binary fixtures in the repository).

Spark's convention: input cells are named `Xinput_<name>` (their value is the default),
output cells `Xoutput_<name>`. Run `python make_workbooks.py` to (re)write `models/*.xlsx`;
the Pulumi program also calls it, so `pulumi up` works from a clean checkout.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from openpyxl.workbook.defined_name import DefinedName  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent


def build_workbook(inputs: Mapping[str, Any], formulas: Mapping[str, str], outputs: Mapping[str, str]) -> bytes:
    """A one-sheet model: `inputs` {name: default}, `formulas` {name: '=...'} over named cells, `outputs` {name: cell name}.

    Every input and formula gets a row (column A label, column B value) and a cell reference
    `{name}` usable in later formulas, e.g. `formulas={"total": "=qty*price"}`.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Model"
    refs: dict[str, str] = {}
    row = 1
    for name, default in inputs.items():
        sheet.cell(row, 1, name)
        sheet.cell(row, 2, default)
        refs[name] = f"B{row}"
        book.defined_names[f"Xinput_{name}"] = DefinedName(f"Xinput_{name}", attr_text=f"Model!$B${row}")
        row += 1
    for name, formula in formulas.items():
        text = formula
        for ref_name in sorted(refs, key=len, reverse=True):
            text = _replace_word(text, ref_name, refs[ref_name])
        sheet.cell(row, 1, name)
        sheet.cell(row, 2, text)
        refs[name] = f"B{row}"
        row += 1
    for name, source in outputs.items():
        cell = refs[source]
        book.defined_names[f"Xoutput_{name}"] = DefinedName(f"Xoutput_{name}", attr_text=f"Model!${cell[0]}${cell[1:]}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace_word(text: str, word: str, replacement: str) -> str:
    import re

    return re.sub(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_(])", replacement, text)


def quote_workbook(discount_threshold: float = 1000.0) -> bytes:
    """Price quote: total = qty * unit_price, 10% off above a threshold."""
    return build_workbook(
        {"qty": 10, "unit_price": 25.0},
        {
            "gross": "=qty*unit_price",
            "discount": f"=IF(gross>{discount_threshold:g},gross*0.1,0)",
            "net": "=gross-discount",
        },
        {"gross": "gross", "discount": "discount", "net": "net"},
    )


def tax_workbook() -> bytes:
    """Sales tax: tax = ROUND(amount * rate, 2), total = SUM(amount, tax)."""
    return build_workbook(
        {"amount": 100.0, "rate": 0.2},
        {"tax": "=ROUND(amount*rate,2)", "total": "=SUM(amount,tax)"},
        {"tax": "tax", "total": "total"},
    )


def write_all(directory: Path = HERE / "models") -> list[Path]:
    """Write `quote.xlsx` and `tax.xlsx` (only when their content changed, to keep hashes stable)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in (("quote.xlsx", quote_workbook()), ("tax.xlsx", tax_workbook())):
        path = directory / name
        if not path.exists() or not _same_model(path.read_bytes(), content):
            path.write_bytes(content)
        written.append(path)
    return written


def _same_model(old: bytes, new: bytes) -> bool:
    """openpyxl stamps creation times into docProps; compare everything else."""
    import zipfile

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {n: archive.read(n) for n in archive.namelist() if not n.startswith("docProps/")}

    try:
        return parts(old) == parts(new)
    except zipfile.BadZipFile:
        return False


if __name__ == "__main__":
    for path in write_all():
        print(path)
