"""Print preview, printing and batch printing in the GUI (rendering is desktop/printing)."""
