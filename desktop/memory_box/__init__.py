"""The Virtual Memory Box: photos, documents and written memories as a grid or a timeline."""
