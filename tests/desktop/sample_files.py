"""Real small files for import and viewer tests: a PNG made with Pillow, a PDF with ReportLab.

Each carries a random marker so a test can look for its plaintext anywhere on disk.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from PIL import Image


def make_png(path: Path, size: tuple[int, int] = (64, 48)) -> bytes:
    """A PNG of random pixels (so its bytes are unique) with a text chunk holding a marker."""
    from PIL import PngImagePlugin

    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", f"marker-{secrets.token_hex(8)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", pnginfo=info)
    return path.read_bytes()


def make_pdf(path: Path, pages: int = 2, marker: str | None = None) -> str:
    """A PDF of ``pages`` pages, uncompressed, with ``marker`` written on each; returns it."""
    from reportlab.pdfgen import canvas

    marker = marker or f"PLAINTEXT-MARKER-{secrets.token_hex(8)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pageCompression=0)
    for n in range(pages):
        c.setFont("Helvetica", 18)
        c.drawString(72, 720, f"Page {n + 1}: {marker}")
        c.rect(72, 300, 300, 300, fill=1)
        c.showPage()
    c.save()
    return marker
