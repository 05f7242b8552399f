"""Screenshots of the record panels (plan, notes, documents, memory box, custody) and their
dialogs, each shown alone offscreen, for looking at them without a display.

    .venv/bin/python -m tools.panel_screenshots [--out /tmp/shots/panels] [--no-scaled]

Builds a throwaway store with the test factories (a filled plan agreed once and changed since,
notes with an amendment, documents and memory-box photos made here with Pillow and ReportLab),
shows each panel at 1100x750 and saves PNGs with ``QWidget.grab()``. Then it runs itself again
with ``QT_SCALE_FACTOR=2`` for a 200% set (``*-200.png``) at 960x540 logical pixels (a 1920x1080
laptop screen at 200%). Everything is fictional; the store is deleted afterwards.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image, ImageDraw  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.custody.custody_panel import CustodyPanel  # noqa: E402
from desktop.documents.documents_panel import DocumentsPanel  # noqa: E402
from desktop.memory_box.add_memory_dialog import AddMemoryDialog  # noqa: E402
from desktop.memory_box.memory_box_panel import MemoryBoxPanel  # noqa: E402
from desktop.notes.notes_panel import NotesPanel  # noqa: E402
from desktop.operations import ChangeAnnouncer, Operations  # noqa: E402
from desktop.plan.agree_plan_dialog import AgreePlanDialog  # noqa: E402
from desktop.plan.plan_history_dialog import PlanHistoryDialog  # noqa: E402
from desktop.plan.plan_panel import PlanPanel  # noqa: E402
from desktop.tasks import TaskRunner  # noqa: E402
from desktop.viewer.file_viewer_dialog import FileViewerDialog  # noqa: E402
from models.domain import Matter  # noqa: E402
from models.repo import files, notes, plans  # noqa: E402
from tests.factories import add_note, add_young_person, fill_plan, make_store  # noqa: E402
from tools.qt_wait import settle  # noqa: E402

log = logging.getLogger("panel_screenshots")
SIZE = (1100, 750)
SCALED_SIZE = (960, 540)


# -- sample files -----------------------------------------------------------------------------


def _photo(seed: int, kind: str) -> bytes:
    """A cheerful made-up picture: a beach, a park or a cake."""
    rng = random.Random(seed)
    w, h = 1200, 900
    img = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    top, bottom = {
        "beach": ((255, 190, 120), (120, 190, 230)),
        "park": ((150, 210, 255), (90, 170, 90)),
        "cake": ((250, 230, 240), (230, 200, 210)),
    }[kind]
    for y in range(h):
        t = y / h
        draw.line(
            [(0, y), (w, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    if kind == "beach":
        draw.ellipse([820, 120, 1000, 300], fill=(255, 230, 120))
        draw.rectangle([0, 620, w, h], fill=(240, 215, 160))
    elif kind == "park":
        for _ in range(7):
            x = rng.randrange(50, w - 50)
            draw.rectangle([x - 12, 420, x + 12, 640], fill=(110, 80, 50))
            draw.ellipse([x - 110, 260, x + 110, 480], fill=(60 + rng.randrange(60), 140, 70))
    else:
        draw.rectangle([350, 420, 850, 760], fill=(200, 120, 90))
        draw.rectangle([350, 400, 850, 450], fill=(255, 250, 250))
        for i in range(5):
            x = 420 + i * 90
            draw.rectangle([x, 300, x + 16, 400], fill=(120, 170, 230))
            draw.ellipse([x - 6, 270, x + 22, 305], fill=(255, 200, 60))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _pdf(title: str, pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(pages):
        c.setFillColorRGB(0.16, 0.3, 0.45)
        c.rect(0, 770, 600, 72, fill=1, stroke=0)
        c.setFillColorRGB(1, 1, 1)
        c.setFont("Helvetica-Bold", 24)
        c.drawString(50, 795, title)
        c.setFillColorRGB(0, 0, 0)
        c.setFont("Helvetica", 13)
        for i in range(18):
            c.drawString(
                50, 720 - i * 22, f"Line {i + 1} of page {n + 1}: fictional text for a screenshot."
            )
        c.showPage()
    c.save()
    return out.getvalue()


# -- the store --------------------------------------------------------------------------------


def build_store(folder: Path):
    store = make_store(folder / "store")
    today = date.today()
    yp = add_young_person(
        store,
        in_custody=True,
        prison="HMP Leeds",
        prison_number="A1234BC",
        release_date=today + timedelta(days=19),
        release_accommodation_plan="Supported lodgings with Leeds Housing Options; a room is "
        "held from the release date. Still needed: deposit and first week's rent.",
        custody_checklist={"visit_8_weekly": True, "probation_contact": True, "id_documents": True},
    )
    fill_plan(store, yp)
    with store.session() as s:
        plans.update_plan(
            s,
            yp,
            life_summary="Jordan grew up in Bradford with his mum and two younger sisters, and "
            "came into care at 14. He is proud of his painting and of looking out for his "
            "sisters. He wants people to know he is funny and good with his hands.",
        )
        plans.update_section(
            s,
            yp,
            Matter.HEALTH.value,
            strengths="Registered with the prison GP. Sleeping better since the move to B wing.",
            goals="I want to get my teeth sorted and keep going to the gym.",
        )
        plans.add_action(
            s,
            yp,
            Matter.HEALTH.value,
            who="Jordan",
            what="Ask the healthcare team for a dentist appointment",
            by_when=today + timedelta(days=14),
            status="in_progress",
        )
        plans.add_action(
            s,
            yp,
            Matter.HEALTH.value,
            who="PA",
            what="Register with a GP near the lodgings before release",
            by_when=today + timedelta(days=18),
        )
        plans.add_action(  # overdue: the plan marks it
            s,
            yp,
            Matter.HEALTH.value,
            who="PA",
            what="Ask the prison for the vaccination record",
            by_when=today - timedelta(days=9),
        )
        plans.agree_plan(s, yp, agreed_on=today - timedelta(days=60), agreed_with="Jordan")
        plans.update_section(
            s,
            yp,
            Matter.HEALTH.value,
            strengths="Registered with the prison GP. Sleeping better since the move to B wing. "
            "Started the gym programme.",
        )
    first = add_note(
        store,
        yp,
        kind="custody_visit",
        occurred_at=datetime.now(UTC) - timedelta(days=30),
        place="HMP Leeds visits hall",
        summary="Custody visit: release planning",
        narrative="Met Jordan for 40 minutes. He has finished the painting course.\nTalked "
        "about lodgings; he would like to be near his sisters.\nAgreed I will call housing.",
    )
    add_note(
        store,
        yp,
        kind="phone",
        occurred_at=datetime.now(UTC) - timedelta(days=12),
        summary="Call with Housing Options",
        narrative="Room held in supported lodgings.",
    )
    add_note(
        store,
        yp,
        kind="letter",
        occurred_at=datetime.now(UTC) - timedelta(days=5),
        summary="Letter to Jordan",
        narrative="Wrote with the news about the room.",
    )
    with store.session() as s:
        notes.amend_note(
            s,
            first,
            summary="Custody visit: release planning",
            narrative="Met Jordan for 40 minutes. He has finished the painting "
            "course.\nTalked about lodgings; he would like to be near his sisters "
            "in Bradford (not Leeds, as first written).\nAgreed I will call housing.",
        )
    blobs = store.blob_store()
    with store.session() as s:
        for title, category, pages in (
            ("GCSE certificate", "certificate", 1),
            ("Birth certificate", "id", 1),
            ("Housing offer letter", "letter", 2),
        ):
            files.add_document(
                s,
                yp,
                blob=blobs.put_bytes(_pdf(title, pages)),
                filename=f"{title.lower().replace(' ', '-')}.pdf",
                title=title,
                category=category,
                caption=f"A copy of his {title.lower()}",
                document_date=today - timedelta(days=400 * pages),
                media_type="application/pdf",
            )
        files.add_document(
            s,
            yp,
            blob=blobs.put_bytes(_photo(9, "park")),
            filename="passport.jpg",
            title="Passport photo page",
            category="id",
            media_type="image/jpeg",
        )
        for seed, (kind, caption, years) in enumerate(
            (
                ("beach", "Scarborough with Nan", 9),
                ("park", "Lister Park, summer", 4),
                ("cake", "My 16th birthday", 2),
            )
        ):
            files.add_memory(
                s,
                yp,
                kind="photo",
                caption=caption,
                blob=blobs.put_bytes(_photo(seed, kind)),
                filename=f"{kind}.jpg",
                added_by_kind="young_person",
                media_type="image/jpeg",
                memory_date=today - timedelta(days=365 * years),
            )
        files.add_memory(
            s,
            yp,
            kind="memory",
            caption="Nan's kitchen",
            body="Sunday dinners at Nan's. She let me do the gravy and said mine "
            "was better than hers.",
            added_by_kind="young_person",
            memory_date=today - timedelta(days=365 * 8),
        )
        files.add_memory(
            s,
            yp,
            kind="document",
            caption="Swimming certificate, 25 metres",
            blob=blobs.put_bytes(_pdf("Swimming: 25 metres", 1)),
            filename="swimming.pdf",
            added_by_kind="professional",
            added_by_name="Sam Patel (social worker)",
            media_type="application/pdf",
            memory_date=today - timedelta(days=3000),
        )
    return store, yp


# -- driving the widgets ----------------------------------------------------------------------


def loaded(widget: QWidget) -> QWidget:
    """``widget`` once it has shown its first read (panels and dialogs read on a worker)."""
    done: list[bool] = []
    widget.loaded.connect(lambda: done.append(True))  # type: ignore[attr-defined]
    settle(lambda: bool(done))
    return widget


def shoot(widget: QWidget, out: Path, name: str, size: tuple[int, int], suffix: str) -> None:
    widget.resize(*size)
    widget.show()
    settle(lambda: False, timeout=0.4)  # let resizes, refits and late renders finish
    path = out / f"{name}{suffix}.png"
    widget.grab().save(str(path))
    log.info("saved %s", path)


def run(out: Path, scaled: bool) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    size = SCALED_SIZE if scaled else SIZE
    suffix = "-200" if scaled else ""
    folder = Path(tempfile.mkdtemp(prefix="pathway-shots-"))
    store, yp = build_store(folder)
    tasks = TaskRunner()
    ops = Operations(store, tasks, ChangeAnnouncer())
    try:
        plan = loaded(PlanPanel(ops, yp))
        shoot(plan, out, "plan-overview", size, suffix)
        plan.select_part(Matter.HEALTH.value)
        shoot(plan, out, "plan-health", size, suffix)
        history = loaded(PlanHistoryDialog(ops, yp, plan))
        shoot(history, out, "plan-history", (size[0], size[1] + 100), suffix)
        agree = AgreePlanDialog("Jordan", 2, plan)
        agree.show()
        shoot(
            agree, out, "plan-agree", (agree.sizeHint().width(), agree.sizeHint().height()), suffix
        )

        notes_panel = loaded(NotesPanel(ops, yp))
        shoot(notes_panel, out, "notes", size, suffix)
        notes_panel.amend_button.click()
        shoot(notes_panel, out, "notes-amend", size, suffix)

        docs = loaded(DocumentsPanel(ops, yp))
        shoot(docs, out, "documents", size, suffix)
        if not scaled:
            for row in range(docs.model.rowCount()):
                item = docs.model.items()[row]
                viewer = FileViewerDialog(ops, item, yp, docs)
                viewer.resize(*size)
                viewer.show()
                settle(lambda v=viewer: v.current_image() is not None)
                kind = "pdf" if item.media_type == "application/pdf" else "image"
                shoot(viewer, out, f"viewer-{kind}", size, suffix)
                viewer.close()

        memories = loaded(MemoryBoxPanel(ops, yp))
        memories.resize(*size)
        memories.show()
        settle(lambda: memories.thumbnails.idle())
        shoot(memories, out, "memory-grid", size, suffix)
        memories.timeline_button.click()
        shoot(memories, out, "memory-timeline", size, suffix)
        dialog = AddMemoryDialog(ops, yp, "memory", "Jordan", None, memories)
        shoot(dialog, out, "memory-write", (dialog.width(), dialog.height()), suffix)
        dialog.reject()

        custody = loaded(CustodyPanel(ops, yp))
        shoot(custody, out, "custody", size, suffix)
    finally:
        tasks.wait_for_idle()
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
    del app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots/panels"))
    parser.add_argument("--no-scaled", action="store_true", help="skip the 200% set")
    parser.add_argument("--scaled-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    run(args.out, scaled=args.scaled_child)
    if not args.scaled_child and not args.no_scaled:
        env = dict(os.environ, QT_SCALE_FACTOR="2")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tools.panel_screenshots",
                "--out",
                str(args.out),
                "--scaled-child",
            ],
            env=env,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )


if __name__ == "__main__":
    main()
