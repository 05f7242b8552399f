"""Contact and visit notes: the timeline, and the editor for new notes and amendments."""
