"""Reading uploaded CSV files: UTF-8 only, no NUL characters.

Their size is bounded before they are read, by the body limit for imports
(``max_upload_bytes``, see ``api/middleware/limits.py``).
"""

from fastapi import UploadFile

from dealscout.core.errors import BadInput


def read_csv_upload(file: UploadFile) -> str:
    try:
        text = file.file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput("CSV is not UTF-8") from None
    if "\x00" in text:
        raise BadInput("CSV contains NUL characters")
    return text
