"""Ingest: the office's exports (and the demo generators) -> text tables in the canonical columns."""
