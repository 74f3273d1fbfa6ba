"""Spark's Excel convention, really applied: compile reads defined names, execute evaluates formulas.

Inputs are the workbook's defined names ``Xinput_<name>`` (the cell's value is the default),
outputs the names ``Xoutput_<name>``. Compilation parses the workbook with openpyxl; execution
evaluates every formula with the `formulas` engine (PyPI), with the request's inputs written
into the input cells. Compiled models are cached per document id in this process.
"""

from __future__ import annotations

import io
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]

INPUT_PREFIX = "xinput_"
OUTPUT_PREFIX = "xoutput_"
MODEL_FILE_NAME = "model.xlsx"


class CompileError(Exception):
    """The workbook cannot become a Spark service (not an xlsx, or no Xinput/Xoutput names)."""


@dataclass(frozen=True)
class Cell:
    """One named cell (or range) of the workbook."""

    name: str
    sheet: str
    ref: str

    @property
    def key(self) -> str:
        """The cell's key in the `formulas` solution: `'[model.xlsx]SHEET'!B1`."""
        return f"'[{MODEL_FILE_NAME}]{self.sheet.upper()}'!{self.ref}"


@dataclass(frozen=True)
class BookSchema:
    """What compilation found in a workbook."""

    inputs: dict[str, Any]
    outputs: list[str]
    input_cells: dict[str, Cell] = field(default_factory=dict)
    output_cells: dict[str, Cell] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)
    formulas: int = 0
    cells_with_data: int = 0


def is_xlsx(content: bytes) -> bool:
    """Whether `content` is a zip holding an Office Open XML workbook."""
    if not content.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _named_cells(book: Any) -> list[Cell]:
    cells = []
    for name, defined in book.defined_names.items():
        for sheet, ref in defined.destinations:
            cells.append(Cell(name, sheet, ref.replace("$", "")))
    return cells


def compile_workbook(content: bytes) -> BookSchema:
    """Read the workbook's Xinput/Xoutput names, defaults and statistics, or raise CompileError."""
    if not is_xlsx(content):
        raise CompileError("the file is not an Excel workbook (.xlsx)")
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    except Exception as exc:
        raise CompileError(f"the workbook cannot be read: {exc}") from None
    inputs: dict[str, Any] = {}
    input_cells: dict[str, Cell] = {}
    output_cells: dict[str, Cell] = {}
    for cell in _named_cells(book):
        lowered = cell.name.lower()
        if lowered.startswith(INPUT_PREFIX):
            short = cell.name[len(INPUT_PREFIX) :]
            input_cells[short] = cell
            value = book[cell.sheet][cell.ref.split(":")[0]].value
            inputs[short] = None if isinstance(value, str) and value.startswith("=") else value
        elif lowered.startswith(OUTPUT_PREFIX):
            output_cells[cell.name[len(OUTPUT_PREFIX) :]] = cell
    if not input_cells or not output_cells:
        missing = " and ".join(
            kind for kind, found in (("Xinput_", input_cells), ("Xoutput_", output_cells)) if not found
        )
        raise CompileError(f"no {missing} defined names found; name the model's input and output cells")
    formulas = data = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for value in (c.value for c in row):
                if value is None:
                    continue
                data += 1
                formulas += isinstance(value, str) and value.startswith("=")
    return BookSchema(
        inputs=inputs,
        outputs=list(output_cells),
        input_cells=input_cells,
        output_cells=output_cells,
        sheets=book.sheetnames,
        formulas=formulas,
        cells_with_data=data,
    )


def _plain(value: Any) -> Any:
    """A JSON value from a `formulas` result (numpy scalars/arrays, Excel errors)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], list) and len(value[0]) == 1:
            return _plain(value[0][0])
        return [_plain(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return str(value)


class ModelCache:
    """Compiled `formulas` models per document id (compiling costs ~0.1-1 s, evaluating ~ms)."""

    def __init__(self) -> None:
        self._models: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _model(self, document_id: str, content: bytes) -> Any:
        import formulas  # type: ignore[import-untyped]  # heavy import, only when a model is executed

        with self._lock:
            model = self._models.get(document_id)
            if model is None:
                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / MODEL_FILE_NAME
                    path.write_bytes(content)
                    model = formulas.ExcelModel().loads(str(path)).finish()
                self._models[document_id] = model
            return model

    def evaluate(self, document_id: str, content: bytes, schema: BookSchema, inputs: dict[str, Any]) -> dict[str, Any]:
        """The outputs the workbook computes with `inputs` (missing inputs keep their defaults)."""
        lowered = {k.lower(): k for k in schema.input_cells}
        unknown = [k for k in inputs if k.lower() not in lowered]
        if unknown:
            raise ValueError(f"unknown input(s): {', '.join(sorted(unknown))}")
        values = {schema.input_cells[lowered[k.lower()]].key: v for k, v in inputs.items()}
        model = self._model(document_id, content)
        with self._lock:
            solution = model.calculate(inputs=values)
        outputs: dict[str, Any] = {}
        for name, cell in schema.output_cells.items():
            ranged = solution.get(cell.key)
            outputs[name] = None if ranged is None else _plain(getattr(ranged, "value", ranged))
        return outputs
