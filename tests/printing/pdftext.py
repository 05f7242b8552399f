"""Reading printed PDFs back in tests (pypdf): text per page, font sizes, embedded fonts."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [unicodedata.normalize("NFC", p.extract_text()) for p in reader(pdf).pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def flat(text: str) -> str:
    """Whitespace-insensitive form (line breaks fall anywhere in wrapped text)."""
    return "".join(text.split())


def sizes_of(pdf: bytes, needle: str) -> list[float]:
    """Effective font sizes (points) of text runs containing ``needle``."""
    found: list[float] = []
    for page in reader(pdf).pages:

        def visit(text, cm, tm, font_dict, font_size):
            if needle in text:
                scale = (tm[3] if tm[3] else 1) * (cm[3] if cm[3] else 1)
                found.append(font_size * abs(scale))

        page.extract_text(visitor_text=visit)
    return found


def fonts(pdf: bytes) -> list[tuple[str, object]]:
    """(BaseFont, FontDescriptor or None) for every font any page uses."""
    out = []
    for page in reader(pdf).pages:
        resources = page.get("/Resources") or {}
        font_dict = resources.get("/Font") or {}
        for ref in font_dict.values():
            f = ref.get_object()
            descriptor = f.get("/FontDescriptor")
            out.append((str(f.get("/BaseFont")), descriptor.get_object() if descriptor else None))
    return out
