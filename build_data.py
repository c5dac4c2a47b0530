#!/usr/bin/env python3
"""Build the Data UMKM Balikpapan release (``python build_data.py --help``): the command line is
umkm/build/cli.py, the stages umkm/build/stages.py."""

from umkm.build.cli import cli, main

__all__ = ["cli", "main"]

if __name__ == "__main__":
    cli()
