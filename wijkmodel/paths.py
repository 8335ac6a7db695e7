"""Where wijkmodel's own files are: the repository's folders, found from this file once."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository: app.py, data/, var/."""
DATA = ROOT / "data"
"""The model's files and the demo's data (committed)."""
VAR = ROOT / "var"
"""Local files that are not committed: the default database and its copies."""
