"""Data UMKM Balikpapan: the stages that turn ODS and OSS exports into open data.

The flow runs one way, one folder per stage (README.md's stage table, generated from
umkm/build/stages.py): ingest -> reconcile -> disclose -> package -> catalogue -> site ->
gates -> build; paths, reference and xlsx are used by all. Each stage is a plain function
from data to data; umkm/build (run by build_data.py) reads and writes the files.
"""

__version__ = "0.1.0"
