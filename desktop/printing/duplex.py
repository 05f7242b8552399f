"""Joining several printed documents into one PDF for double-sided printing (no Qt).

Each document starts on an odd (right-hand, front) page: after a document that ends on an odd
page a blank page is added, so no plan ever starts on the back of the previous young person's.
"""

from __future__ import annotations

from pypdf import PdfWriter


def end_on_an_even_page(writer: PdfWriter) -> None:
    """Add a blank page (the size of the last one) if ``writer`` holds an odd number of pages."""
    if len(writer.pages) % 2 == 1:
        last = writer.pages[-1].mediabox
        writer.add_blank_page(width=float(last.width), height=float(last.height))
