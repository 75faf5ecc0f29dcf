"""Checking uploaded files: the type is read from the content, not trusted from the name."""
from __future__ import annotations

import zipfile
from io import BytesIO
from typing import BinaryIO

from flask_babel import gettext as _

from .errors import ValidationFailed

# extension -> (content type, how to recognise the content)
ALLOWED_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml:word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml:xl/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml:ppt/"),
    "odt": ("application/vnd.oasis.opendocument.text", "odf"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "odf"),
    "doc": ("application/msword", "ole"),
    "xls": ("application/vnd.ms-excel", "ole"),
    "csv": ("text/csv", "text"),
    "txt": ("text/plain", "text"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "mp3": ("audio/mpeg", "mp3"),
    "m4a": ("audio/mp4", "mp4"),
    "wav": ("audio/wav", "wav"),
    "ogg": ("audio/ogg", "ogg"),
}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


HEAD_BYTES = 65536  # what the checks below read of a file (a zip's directory is read through the file)


def _matches(data: bytes, signature: str, whole: BinaryIO | None = None) -> bool:
    """Whether the content (``data``: its first bytes; ``whole``: the file, for zip formats) is of that kind."""
    if signature == "pdf":
        return data.startswith(b"%PDF-")
    if signature == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if signature == "jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if signature == "ole":
        return data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if signature == "mp3":
        return data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0)
    if signature == "mp4":
        return data[4:8] == b"ftyp"
    if signature == "wav":
        return data.startswith(b"RIFF") and data[8:12] == b"WAVE"
    if signature == "ogg":
        return data.startswith(b"OggS")
    if signature == "text":
        try:
            data[:65536].decode("utf-8")
        except UnicodeDecodeError:
            try:
                data[:65536].decode("cp1250")
            except UnicodeDecodeError:
                return False
        return b"\x00" not in data[:65536]
    if signature.startswith("ooxml:") or signature == "odf":
        try:
            with zipfile.ZipFile(whole if whole is not None else BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return False
        if signature == "odf":
            return "mimetype" in names
        prefix = signature.split(":", 1)[1]
        return "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)
    return False


def size_of(data: bytes | BinaryIO) -> int:
    """The size of bytes, or of a seekable file (which is left at its start)."""
    if isinstance(data, bytes | bytearray | memoryview):
        return len(data)
    data.seek(0, 2)
    size = data.tell()
    data.seek(0)
    return size


def check_upload(filename: str, data: bytes | BinaryIO, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 allowed: set[str] | None = None, field: str = "file") -> str:
    """Return the content type to store, or raise ValidationFailed with a clear message. ``data`` is the
    content or a seekable file (an upload as Werkzeug spools it to disk): only its first bytes are read."""
    size = size_of(data)
    if not filename or not size:
        raise ValidationFailed({field: _("Choose a file to upload.")})
    if size > max_bytes:
        raise ValidationFailed({field: _("The file is too large: at most %(mb)d MB.", mb=max_bytes // (1024 * 1024))})
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kinds = ALLOWED_TYPES if allowed is None else {k: v for k, v in ALLOWED_TYPES.items() if k in allowed}
    if extension not in kinds:
        raise ValidationFailed({field: _("Files of this type are not accepted. Accepted: %(types)s.",
                                         types=", ".join(sorted(kinds)))})
    content_type, signature = kinds[extension]
    if isinstance(data, bytes | bytearray | memoryview):
        # zip formats are recognised by their central directory, at the end: read the whole content
        head, whole = bytes(data[:HEAD_BYTES]), BytesIO(bytes(data))
    else:
        head, whole = data.read(HEAD_BYTES), data
        data.seek(0)
    matches = _matches(head, signature, whole)
    if whole is not None:
        whole.seek(0)
    if not matches:
        raise ValidationFailed({field: _("The file's content does not match its name (.%(ext)s).", ext=extension)})
    return content_type
