"""What is no news document is refused with a one-line reason, and nothing is stored."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from dealscout.cli.main import app
from dealscout.core.config import get_settings
from dealscout.core.errors import Refused
from dealscout.ingestion.models import Signal, SignalAccount, Source
from dealscout.ingestion.parse import parse_document
from tests.support.factories import open_session

runner = CliRunner()
FETCHED = datetime(2026, 12, 1, tzinfo=UTC)
CSV = (
    "Account Name,Domain,Industry,Employees\n"
    "Halvard Freight,halvard.example,logistics,1800\n"
    "Caliper,caliper.example,software,240\n"
    "Quillstone Bank,quillstone.example,financial services,9500\n"
)


def png_bytes() -> bytes:
    """A real 1×1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("logo.png", png_bytes(), "not a news document: a PNG image"),
        ("empty.txt", b"", "empty document"),
        ("blank.txt", b"  \n\n\t\n", "empty document"),
        ("short.txt", b"Caliper news\n", "near-empty document: 2 words"),
        ("accounts.csv", CSV.encode(), "spreadsheet/CSV export"),
        ("export.txt", CSV.replace(",", ";").encode(), "tabular data"),
        ("book.xlsx", b"PK\x03\x04" + bytes(200), "ZIP archive or Office file"),
        ("release.pdf", b"%PDF-1.7\n" + bytes(100), "unsupported document: a PDF file"),
        (
            "two.csv",
            b"Account,Domain\nCaliper,caliper.example\nHalvard,halvard.example\n"
            b"Quillstone,quillstone.example\n",
            "spreadsheet/CSV export",
        ),
        (
            "two.txt",
            b"Account,Domain\nCaliper,caliper.example\nHalvard,halvard.example\n"
            b"Quillstone,quillstone.example\n",
            "tabular data",
        ),
    ],
)
def test_ingest_refuses_non_documents_and_stores_nothing(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.invoke(app, ["ingest", str(path), "--account", "Caliper", "--json"])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and reason in last and "Traceback" not in result.stderr
    session = open_session(get_settings())
    try:
        for model in (Signal, SignalAccount, Source):
            assert session.scalar(select(func.count()).select_from(model)) == 0
    finally:
        session.close()


def test_classify_refuses_an_image_instead_of_reading_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(png_bytes())
    result = runner.invoke(app, ["classify", "--file", str(path), "--json"])
    assert result.exit_code == 2 and "PNG image" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "data",
    [
        b"Caliper raises $42M Series B\n\nThe round was led by Northwind Ventures.",
        # prose with commas is no table
        b"Caliper, the startup, raised money.\nIt will, it said, hire.\nMore, soon, maybe.",
        "Caliper öffnet ein Büro in München, sagte das Unternehmen am Montag.".encode("latin-1"),
        "Caliper opens an office in Dublin, the company said on Monday.".encode("utf-16"),
        # a release whose table follows its prose
        b"Caliper reports third-quarter results\n\nRevenue grew 31% to $48 million.\n"
        b"Segment | Q3 2026 | Q3 2025\nLicences | 30 | 22\nServices | 18 | 15\n",
    ],
)
def test_real_text_is_still_read(data: bytes) -> None:
    document = parse_document(data, content_type="text/plain", url=None, fetched_at=FETCHED)
    assert document.kind == "article" and "Caliper" in document.items[0].text


def test_a_spreadsheet_media_type_is_refused() -> None:
    with pytest.raises(Refused, match="spreadsheet"):
        parse_document(b"a,b\n1,2\n", content_type="text/csv", url=None, fetched_at=FETCHED)


@pytest.mark.parametrize("name", ["big5", "eucjp", "koi8r", "shiftjis", "windows1255"])
def test_feeds_in_legacy_encodings_are_not_mistaken_for_binary(name: str) -> None:
    path = Path(__file__).resolve().parents[1] / "fixtures" / "feeds" / "edge_cases"
    data = (path / f"illformed__chardet__{name}.xml").read_bytes()
    document = parse_document(data, content_type=None, url=None, fetched_at=FETCHED)
    assert document.kind == "feed"
