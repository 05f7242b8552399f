"""The custody panel: prison, release, accommodation on release, the Custody Offer checklist."""
