"""Fictional demo caseload: content for a realistic but invented set of young people.

``models.demo.content`` holds the pure, seedable content functions (names, pathway-plan text,
contact notes, life summaries, memory-box items, generated photos and specimen PDFs); its word
lists live in ``resources/demo/*.json``. Nothing here describes a real person.
"""
