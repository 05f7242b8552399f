"""Demo files: generated photos (Pillow) and specimen PDFs (ReportLab). Deterministic for a seed."""

from __future__ import annotations

import io
import math
import random
import unicodedata
from collections.abc import Sequence
from typing import Any

# ---------------------------------------------------------------------------------------------
# Generated photo (Pillow)

_PALETTES: tuple[dict[str, tuple[int, int, int]], ...] = (
    {
        "sky_top": (70, 130, 200),
        "sky_bottom": (190, 225, 245),
        "sun": (255, 236, 150),
        "far": (120, 160, 150),
        "near": (60, 120, 70),
    },
    {
        "sky_top": (250, 120, 80),
        "sky_bottom": (255, 210, 140),
        "sun": (255, 245, 200),
        "far": (150, 90, 110),
        "near": (70, 50, 80),
    },
    {
        "sky_top": (40, 60, 120),
        "sky_bottom": (230, 150, 170),
        "sun": (255, 220, 200),
        "far": (90, 90, 140),
        "near": (40, 45, 80),
    },
    {
        "sky_top": (110, 190, 230),
        "sky_bottom": (230, 245, 250),
        "sun": (255, 255, 210),
        "far": (150, 190, 110),
        "near": (90, 150, 60),
    },
)


def make_photo_jpeg(rng: random.Random, width: int = 640, height: int = 480) -> bytes:
    """A generated JPEG "photo" (a landscape, seaside, city at night or abstract shapes)."""
    from PIL import ImageDraw, ImageFilter

    if width < 16 or height < 16:
        raise ValueError("A demo photo must be at least 16 × 16 pixels.")
    scene = rng.choice(("landscape", "seaside", "city_night", "abstract"))
    palette = dict(rng.choice(_PALETTES))
    palette = {k: _jitter(rng, v, 18) for k, v in palette.items()}
    w, h = width, height

    if scene == "city_night":
        top, bottom = _jitter(rng, (15, 20, 55), 10), _jitter(rng, (70, 60, 110), 15)
        img = _vertical_gradient(w, h, top, bottom)
    else:
        img = _vertical_gradient(w, h, palette["sky_top"], palette["sky_bottom"])
    draw = ImageDraw.Draw(img, "RGBA")

    if scene == "abstract":
        for _ in range(rng.randint(8, 16)):
            colour = (*_jitter(rng, rng.choice(list(palette.values())), 60), rng.randint(70, 170))
            cx, cy = rng.uniform(0, w), rng.uniform(0, h)
            r = rng.uniform(0.05, 0.3) * min(w, h)
            if rng.random() < 0.6:
                draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
            else:
                draw.rectangle((cx - r, cy - r * 0.6, cx + r, cy + r * 0.6), fill=colour)
        img = img.filter(ImageFilter.GaussianBlur(radius=1.2))
    else:
        horizon = h * rng.uniform(0.55, 0.7)
        sun_r = min(w, h) * rng.uniform(0.06, 0.1)
        sun_x, sun_y = rng.uniform(0.2, 0.8) * w, horizon - rng.uniform(0.15, 0.4) * h
        if scene == "city_night":
            _stars(rng, draw, w, int(horizon))
            draw.ellipse(
                (sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r),
                fill=(240, 240, 225, 255),
            )
            _skyline(rng, draw, w, h, horizon)
        else:
            for i in range(6, 0, -1):  # soft glow
                g = sun_r * (1 + i * 0.35)
                draw.ellipse(
                    (sun_x - g, sun_y - g, sun_x + g, sun_y + g), fill=(*palette["sun"], 18)
                )
            draw.ellipse(
                (sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r),
                fill=(*palette["sun"], 255),
            )
            _clouds(rng, draw, w, int(horizon))
            if scene == "seaside":
                _sea(rng, draw, w, h, horizon, palette, sun_x)
            else:
                _hills(rng, draw, w, h, horizon, palette)

    img = _grain(rng, img, strength=0.05)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def _jitter(rng: random.Random, colour: Sequence[int], amount: int) -> tuple[int, int, int]:
    r, g, b = (max(0, min(255, c + rng.randint(-amount, amount))) for c in colour[:3])
    return r, g, b


def _lerp(a: Sequence[int], b: Sequence[int], t: float) -> tuple[int, int, int]:
    r, g, b_ = (round(x + (y - x) * t) for x, y in zip(a[:3], b[:3], strict=True))
    return r, g, b_


def _vertical_gradient(w: int, h: int, top: Sequence[int], bottom: Sequence[int]) -> Any:
    from PIL import Image

    column = Image.new("RGB", (1, h))
    column.putdata([_lerp(top, bottom, y / max(1, h - 1)) for y in range(h)])
    return column.resize((w, h))


def _ridge(rng: random.Random, w: int, base: float, amplitude: float) -> list[tuple[float, float]]:
    waves = [
        (rng.uniform(0.5, 3.5), rng.uniform(0, 2 * math.pi), rng.uniform(0.3, 1.0))
        for _ in range(3)
    ]
    total = sum(a for _, _, a in waves)
    points = []
    for x in range(0, w + 8, 8):
        y = sum(a * math.sin(f * 2 * math.pi * x / w + p) for f, p, a in waves) / total
        points.append((float(x), base - amplitude * y))
    return points


def _hills(
    rng: random.Random,
    draw: Any,
    w: int,
    h: int,
    horizon: float,
    palette: dict[str, tuple[int, int, int]],
) -> None:
    layers = rng.randint(2, 4)
    for i in range(layers):
        t = i / max(1, layers - 1)
        colour = _lerp(palette["far"], palette["near"], t)
        base = horizon + t * (h - horizon) * 0.55
        ridge = _ridge(rng, w, base, h * rng.uniform(0.04, 0.1))
        draw.polygon([*ridge, (w, h), (0, h)], fill=(*colour, 255))
    for _ in range(rng.randint(0, 6)):  # a few trees in the foreground
        x, y = rng.uniform(0, w), rng.uniform(h * 0.85, h * 0.97)
        s = rng.uniform(10, 26)
        draw.rectangle((x - s * 0.08, y, x + s * 0.08, y + s * 0.4), fill=(80, 55, 40, 255))
        draw.polygon(
            [(x, y - s * 1.4), (x - s * 0.5, y + s * 0.05), (x + s * 0.5, y + s * 0.05)],
            fill=(*_jitter(rng, (40, 95, 50), 15), 255),
        )


def _sea(
    rng: random.Random,
    draw: Any,
    w: int,
    h: int,
    horizon: float,
    palette: dict[str, tuple[int, int, int]],
    sun_x: float,
) -> None:
    top = _jitter(rng, (40, 110, 160), 20)
    bottom = _jitter(rng, (20, 60, 100), 15)
    hz = int(horizon)
    for y in range(hz, h):
        draw.line([(0, y), (w, y)], fill=(*_lerp(top, bottom, (y - hz) / max(1, h - hz)), 255))
    for _ in range(rng.randint(25, 45)):  # glitter on the water below the sun
        gy = rng.uniform(hz + 4, h * 0.9)
        half = rng.uniform(5, 30) * (gy - hz) / max(1, h - hz) + 3
        x = sun_x + rng.gauss(0, 25)
        draw.line([(x - half, gy), (x + half, gy)], fill=(*palette["sun"], 150), width=2)
    sand = _jitter(rng, (225, 200, 150), 12)
    ridge = _ridge(rng, w, h * rng.uniform(0.88, 0.95), h * 0.03)
    draw.polygon([*ridge, (w, h), (0, h)], fill=(*sand, 255))
    if rng.random() < 0.7:  # a small sailing boat
        bx, by = rng.uniform(0.15, 0.85) * w, hz + rng.uniform(8, 30)
        draw.polygon(
            [(bx - 14, by), (bx + 14, by), (bx + 9, by + 6), (bx - 9, by + 6)],
            fill=(60, 40, 30, 255),
        )
        draw.polygon([(bx, by - 26), (bx, by - 2), (bx + 13, by - 2)], fill=(250, 250, 245, 255))


def _skyline(rng: random.Random, draw: Any, w: int, h: int, horizon: float) -> None:
    x = 0.0
    while x < w:
        bw = rng.uniform(30, 80)
        top = horizon - rng.uniform(20, 150)
        shade = rng.randint(18, 40)
        draw.rectangle((x, top, x + bw, h), fill=(shade, shade, shade + 15, 255))
        for wy in range(int(top) + 8, h - 10, 14):
            for wx in range(int(x) + 6, int(x + bw) - 8, 12):
                if rng.random() < 0.35:
                    draw.rectangle((wx, wy, wx + 5, wy + 7), fill=(255, 215, 120, 230))
        x += bw + rng.uniform(0, 6)


def _stars(rng: random.Random, draw: Any, w: int, horizon: int) -> None:
    for _ in range(rng.randint(60, 140)):
        x, y = rng.uniform(0, w), rng.uniform(0, horizon)
        r = rng.choice((0.6, 0.9, 1.3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 240, rng.randint(120, 255)))


def _clouds(rng: random.Random, draw: Any, w: int, horizon: int) -> None:
    for _ in range(rng.randint(1, 5)):
        cx, cy = rng.uniform(0, w), rng.uniform(horizon * 0.1, horizon * 0.6)
        for _ in range(rng.randint(4, 8)):
            r = rng.uniform(12, 34)
            x, y = cx + rng.uniform(-50, 50), cy + rng.uniform(-10, 10)
            draw.ellipse((x - r * 1.4, y - r, x + r * 1.4, y + r), fill=(255, 255, 255, 90))


def _grain(rng: random.Random, img: Any, strength: float) -> Any:
    """Film grain from ``rng`` (Pillow's own noise is not seedable)."""
    from PIL import Image

    noise = Image.frombytes("L", img.size, rng.randbytes(img.size[0] * img.size[1]))
    return Image.blend(img, Image.merge("RGB", (noise, noise, noise)), strength)


# ---------------------------------------------------------------------------------------------
# Specimen PDF (reportlab)

_SPECIMEN = "SPECIMEN \u2013 fictional demo document"


def make_document_pdf(title: str, lines: list[str]) -> bytes:
    """A small A4 PDF (one page, or more for long text) clearly marked as a fictional specimen.

    Uses the built-in Helvetica, so characters outside Windows-1252 are folded to their nearest
    Latin form (ś → s, ł → l); the record itself keeps the exact spelling. Deterministic:
    the same title and lines give the same bytes.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    page_w, page_h = A4
    margin = 20 * mm
    text_w = page_w - 2 * margin
    safe_title = _pdf_safe(title) or "Document"
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, invariant=1)
    pdf.setTitle(f"{safe_title} ({_SPECIMEN})")
    pdf.setAuthor("Pathway Desk demo")
    pdf.setSubject(_SPECIMEN)

    def start_page() -> float:
        pdf.saveState()
        pdf.setFillColor(colors.Color(0.85, 0.1, 0.1, alpha=0.12))
        pdf.setFont("Helvetica-Bold", 72)
        pdf.translate(page_w / 2, page_h / 2)
        pdf.rotate(40)
        pdf.drawCentredString(0, 0, "SPECIMEN")
        pdf.restoreState()
        pdf.setFillColor(colors.Color(0.16, 0.29, 0.45))
        pdf.rect(0, page_h - 18 * mm, page_w, 18 * mm, stroke=0, fill=1)
        pdf.setFillColor(colors.white)
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(margin, page_h - 11 * mm, "Pathway Desk demo \u2013 Leaving Care Service")
        pdf.setFillColor(colors.Color(0.7, 0.1, 0.1))
        pdf.setFont("Helvetica-Bold", 9)
        pdf.drawCentredString(page_w / 2, 10 * mm, f"{_SPECIMEN}. Not a real record.")
        pdf.setFillColor(colors.black)
        return page_h - 32 * mm

    y = start_page()
    pdf.setFont("Helvetica-Bold", 18)
    for part in simpleSplit(safe_title, "Helvetica-Bold", 18, text_w):
        pdf.drawString(margin, y, part)
        y -= 24
    pdf.setFont("Helvetica-Oblique", 10)
    pdf.drawString(margin, y, _SPECIMEN)
    y -= 28
    for line in lines:
        wrapped = simpleSplit(_pdf_safe(line), "Helvetica", 11, text_w) or [""]
        for part in wrapped:
            if y < 25 * mm:
                pdf.showPage()
                y = start_page()
            pdf.setFont("Helvetica", 11)
            pdf.drawString(margin, y, part)
            y -= 15
        y -= 6
    pdf.showPage()
    pdf.save()
    return out.getvalue()


_FOLD = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "ŋ": "ng"})


def _pdf_safe(text: str) -> str:
    """``text`` limited to what Helvetica (WinAnsi) can draw."""
    out = []
    for ch in text.translate(_FOLD):
        try:
            ch.encode("cp1252")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode("cp1252")
            out.append(base)
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)
