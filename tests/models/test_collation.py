"""Names sort the way a reader expects, by surname, whatever their script."""

from __future__ import annotations

from models.collation import name_sort_key, surname_sort_key


def test_names_sort_by_unicode_collation_not_code_points() -> None:
    assert sorted(["Zihan", "Áine", "Aisha"], key=name_sort_key) == ["Áine", "Aisha", "Zihan"]


def test_full_names_sort_by_surname_then_first_names() -> None:
    names = ["Amy Jones", "Chloe Hopkinson", "Chloe Harris", "Ben Harris", "Zoë Ábel", ""]
    assert sorted(names, key=surname_sort_key) == [
        "",
        "Zoë Ábel",
        "Ben Harris",
        "Chloe Harris",
        "Chloe Hopkinson",
        "Amy Jones",
    ]
