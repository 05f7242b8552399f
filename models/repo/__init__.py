"""All SQL of the local store, in functions named by intent.

Every function takes an open :class:`sqlalchemy.orm.Session` from :meth:`Store.session` (writes)
or :meth:`Store.reader` (reads) and returns frozen dataclasses from :mod:`models.records`.
The acting person and the hybrid clock come from ``session.info``.
"""
