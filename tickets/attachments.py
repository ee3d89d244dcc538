"""What may be attached to a message, judged by the content of the file, not its name."""

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Detected type -> the extensions a file of that type may carry.
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "image/png": frozenset({"png"}),
    "image/jpeg": frozenset({"jpg", "jpeg"}),
    "image/gif": frozenset({"gif"}),
    "image/webp": frozenset({"webp"}),
    "application/pdf": frozenset({"pdf"}),
    "application/zip": frozenset({"zip"}),
    "text/plain": frozenset({"txt", "log", "text"}),
}
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})

# Names like "invoice.pdf.exe" are refused outright, and so are names that hide one of
# these behind an innocent last extension ("shell.php.png"): a server that trusts the
# first extension, or a person who reads it, would be fooled.
DANGEROUS_EXTENSIONS = frozenset(
    {
        "exe",
        "com",
        "bat",
        "cmd",
        "scr",
        "pif",
        "msi",
        "dll",
        "js",
        "mjs",
        "vbs",
        "vbe",
        "jse",
        "wsf",
        "ps1",
        "sh",
        "bash",
        "jar",
        "apk",
        "app",
        "php",
        "phtml",
        "php3",
        "php4",
        "php5",
        "phar",
        "asp",
        "aspx",
        "jsp",
        "cgi",
        "pl",
        "py",
        "rb",
        "html",
        "htm",
        "xhtml",
        "shtml",
        "svg",
        "svgz",
        "hta",
        "xml",
        "lnk",
        "reg",
    }
)
# Markup that a browser would render if it ever sniffed a "text" file.
_MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body")

_SNIFF_BYTES = 64 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
THUMBNAIL_SIZE = (320, 320)
# A screenshot of a 8K screen is 33 million pixels. A few kilobytes of PNG can declare far
# more, and Pillow only warns (not refuses) below twice its own limit of 89 million, so a
# thumbnail could take gigabytes of memory: such images are refused at upload.
MAX_IMAGE_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed every check, with the type found in its content."""

    name: str
    content_type: str
    size: int
    file: File

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES


def _extensions(name: str) -> list[str]:
    return [suffix.lstrip(".").lower() for suffix in PurePath(name).suffixes]


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sniffed window may cut a multi-byte character in two.
        if error.start < len(head) - 4:
            return False
    return not head.removeprefix(_UTF8_BOM).lstrip().lower().startswith(_MARKUP_STARTS)


def _detect(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    return "text/plain" if head and _looks_like_text(head) else None


_UNREADABLE_IMAGE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


@contextmanager
def _open_image(file: File) -> Iterator[Image.Image]:
    """The image, or one of _UNREADABLE_IMAGE when it cannot or should not be decoded."""
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(file)
    with image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise Image.DecompressionBombError("too many pixels")
        yield image


def _image_is_sound(file: File) -> bool:
    try:
        with _open_image(file) as image:
            image.verify()
    except _UNREADABLE_IMAGE:
        return False
    finally:
        file.seek(0)
    return True


def _display_name(name: str) -> str:
    """The base name the person chose, without control characters: it is shown in pages
    and emails and sent back in a Content-Disposition header."""
    return "".join(char for char in PurePath(name).name if char.isprintable()).strip()


def check_upload(upload: File) -> CheckedFile:
    """The upload as a CheckedFile, or a ValidationError naming the file and the reason."""
    name = _display_name(upload.name or "")
    limit = settings.TICKETS_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is too large (%(size)s): files can be at most %(limit)s."),
            code="too_large",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty."), code="empty", params={"name": name})
    refused = ValidationError(
        _(
            "%(name)s cannot be attached: send images (PNG, JPEG, GIF, WebP), PDF, plain "
            "text or log files, or ZIP archives, named by their real type."
        ),
        code="file_type",
        params={"name": name},
    )
    extensions = _extensions(name)
    if not extensions or any(ext in DANGEROUS_EXTENSIONS for ext in extensions):
        raise refused
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    content_type = _detect(head)
    if content_type not in ALLOWED_TYPES or extensions[-1] not in ALLOWED_TYPES[content_type]:
        raise refused
    if content_type in IMAGE_TYPES and not _image_is_sound(upload):
        raise refused
    return CheckedFile(name=name, content_type=content_type, size=upload.size, file=upload)


def make_thumbnail(file: File) -> ContentFile | None:
    """A small PNG of an image, or None when the image cannot be read."""
    try:
        with _open_image(file) as image:
            image.thumbnail(THUMBNAIL_SIZE)
            if image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA")
            output = io.BytesIO()
            image.save(output, format="PNG")
    except _UNREADABLE_IMAGE:
        return None
    finally:
        file.seek(0)
    return ContentFile(output.getvalue())
