"""What the bench drivers share: the hash of a frame (its CSV text and dtypes)."""

from __future__ import annotations

import hashlib
import io


def frame_hash(frame) -> str:
    """sha256 of the frame's CSV text (index included) and its dtypes: equal for equal frames."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=True)
    text = buffer.getvalue() + "\n" + "|".join(f"{c}:{t}" for c, t in frame.dtypes.astype(str).items())
    return hashlib.sha256(text.encode()).hexdigest()
