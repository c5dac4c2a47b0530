"""Data UMKM Balikpapan: the stages that turn ODS and OSS exports into open data.

The flow runs one way (see DESIGN.md): ingest -> reconcile -> disclose -> package
-> site_pages. Each stage is a plain function from data to data; only
build_data.py reads and writes files.
"""

__version__ = "0.1.0"
