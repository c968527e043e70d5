"""Strict CSV reading for imports: a broken row is an error, and every bad row is reported.

The ``csv`` module in its default mode lets an unterminated quote swallow the rest of the
file into one field (an account named ``"Unclosed,quote.example,5``). Strict mode refuses
it; rows with more fields than the header are refused too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from dealscout.core.errors import BadInput

MAX_ROWS = 50_000
MAX_REPORTED = 50


@dataclass
class RowErrors:
    """Bad rows collected over a whole file, raised together at the end."""

    messages: list[str] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.messages.append(f"row {line}: {message}")

    def raise_any(self) -> None:
        if len(self.messages) == 1:
            raise BadInput(self.messages[0])
        if not self.messages:
            return
        shown = "; ".join(self.messages[:MAX_REPORTED])
        more = len(self.messages) - MAX_REPORTED
        suffix = f"; and {more} more" if more > 0 else ""
        raise BadInput(f"{len(self.messages)} bad rows, nothing imported: {shown}{suffix}")


def read_rows(
    text: str, errors: RowErrors
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and the data rows (numbered from 2, the header being row 1). Structural
    errors (unterminated quotes, extra fields) go to ``errors``; their rows are skipped."""
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as exc:
        raise BadInput(f"row 1: malformed CSV header: {exc}") from None

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        line = 1
        while True:
            line += 1
            if line > MAX_ROWS + 1:
                raise BadInput(f"CSV has more than {MAX_ROWS} rows")
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                errors.add(line, f"malformed CSV ({exc}): check for an unterminated quote")
                return  # the reader cannot resynchronise after a broken quote
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                errors.add(line, f"{len(values)} fields but the header has {len(header)}")
                continue
            yield line, {name: value.strip() for name, value in zip(header, values, strict=False)}

    return header, rows()
