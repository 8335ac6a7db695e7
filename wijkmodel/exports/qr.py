"""A QR code of an invitation link, to show on the beamer or print (issue 19; segno, pure Python)."""

from __future__ import annotations

import io

import segno


def qr_png(text: str, scale: int = 10) -> bytes:
    """A PNG of the QR code of `text` (error correction M: readable from the back of a room)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
