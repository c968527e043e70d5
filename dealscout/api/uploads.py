"""Reading uploaded CSV files: size-limited and UTF-8 only."""

from fastapi import UploadFile

from dealscout.core.errors import BadInput

MAX_CSV_BYTES = 10 * 1024 * 1024


def read_csv_upload(file: UploadFile) -> str:
    raw = file.file.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        raise BadInput(f"CSV larger than {MAX_CSV_BYTES} bytes")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput("CSV is not UTF-8") from None
