"""Printed documents (ReportLab, no Qt): pathway plans, the keepsake book, the records export.

Data in, PDF out, so the command line prints exactly what the app prints. Entry points:
:func:`render_plan`, :func:`render_keepsake`, :func:`export_young_person`, and the store-level
jobs in :mod:`desktop.printing.jobs`.
"""

from desktop.printing.emergency import EmergencyInfo, emergency_info, load_emergency
from desktop.printing.export import ExportSummary, export_young_person
from desktop.printing.keepsake import render_keepsake
from desktop.printing.plan import render_plan
from desktop.printing.theme import Variant

__all__ = [
    "EmergencyInfo",
    "ExportSummary",
    "Variant",
    "emergency_info",
    "export_young_person",
    "load_emergency",
    "render_keepsake",
    "render_plan",
]
