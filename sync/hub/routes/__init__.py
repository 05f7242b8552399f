"""The hub's endpoints, one module per feature. The sync data path (push, pull, files,
conflicts) joins them as ``routes/sync.py``, authorised through ``sync.hub.access``."""
