"""Workbook bytes in, the same workbook with fixed timestamps out: same content, same bytes.

openpyxl stamps the document properties and every zip member with the wall clock;
both the generator and the package stage write workbooks that must be reproducible.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def normalise_xlsx(data: bytes, stamp: datetime, compresslevel: int = 6) -> bytes:
    """Rewrite an xlsx with fixed member timestamps and document dates."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(3), content)
            member = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, content, compresslevel=compresslevel)
    return out.getvalue()
