"""Catalogue: packages -> downloads, citations, DCAT, data.json, Satu Data, the feed."""
