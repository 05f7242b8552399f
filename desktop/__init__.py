"""Pathway Desk's desktop side: the PySide6 GUI, the command line, and printing (Qt-free)."""
