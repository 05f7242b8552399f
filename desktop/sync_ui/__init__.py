"""Sync in the GUI: the status always in view, sync now and when the hub comes back, enrolment,
and a manager's team actions. The GUI reaches the hub only through ``sync.client``."""
