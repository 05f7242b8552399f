"""``python -m desktop``: the same as the ``pathway-desk`` command."""

from desktop.cli import main

main()
