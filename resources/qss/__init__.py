"""Qt style sheets (a package so importlib.resources finds them, frozen bundle included)."""
