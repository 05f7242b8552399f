"""``python -m sync.hub`` is ``pathway-hub``."""

from sync.hub.cli import main

main()
