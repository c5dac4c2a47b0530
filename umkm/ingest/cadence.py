"""The exports' input dates in, the release's snapshot date out: at most one statistical release per period.

A statistical release describes the register as it stood at its snapshot date, the last day of a period
(a month by default; a quarter or a year as an option). By default the snapshot is the end of the last
period closed by the day after the newest input date (the export was taken after its last entry): an
export of 1 November whose rows end on 31 October makes the October release, and so does every nightly
run of November, from the same rows: rows entered after the snapshot wait for the next release. A correction of a release's rows is published as a revision of it
(``YYYY.MM.DD.2``, see catalogue.resolve_version).
"""

from __future__ import annotations

import pandas as pd

CADENCES = {"monthly": 1, "quarterly": 3, "annual": 12}


def period_start(date, cadence: str = "monthly") -> pd.Timestamp:
    """The first day of the period (month, quarter, year) holding ``date``."""
    months = CADENCES[cadence]
    date = pd.Timestamp(date)
    month = (date.month - 1) // months * months + 1
    return pd.Timestamp(year=date.year, month=month, day=1)


def default_snapshot(newest_input, cadence: str = "monthly") -> pd.Timestamp:
    """The last day of the last period that had ended by the day after the newest input date."""
    return period_start(pd.Timestamp(newest_input) + pd.Timedelta(days=1), cadence) - pd.Timedelta(days=1)
