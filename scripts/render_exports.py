"""Render the deck and the report to PNG pages so a person can look at them.

    .venv/bin/python scripts/render_exports.py DECK.pptx REPORT.pdf [--out DIR]

The deck goes through LibreOffice (headless) to PDF; every PDF page goes through pdftoppm to
PNG; a contact sheet per file shows all pages at once. Needs Debian's libreoffice-impress and
poppler-utils.
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image


def to_pdf(pptx: Path, out: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice ontbreekt: apt-get install libreoffice-impress-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(pptx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return out / f"{pptx.stem}.pdf"


def to_pngs(pdf: Path, out: Path, prefix: str, dpi: int = 80) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out / prefix)], check=True, timeout=300)
    return sorted(out.glob(f"{prefix}-[0-9]*.png"))


def contact_sheet(pages: list[Path], target: Path, columns: int = 4, width: int = 480) -> None:
    thumbs = []
    for page in pages:
        with Image.open(page) as image:
            thumbs.append(image.resize((width, round(image.height * width / image.width))))
    height = max(t.height for t in thumbs)
    rows = math.ceil(len(thumbs) / columns)
    sheet = Image.new("RGB", (columns * (width + 10), rows * (height + 10)), "#888888")
    for i, thumb in enumerate(thumbs):
        sheet.paste(thumb, ((i % columns) * (width + 10), (i // columns) * (height + 10)))
    sheet.save(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("/tmp/wijkmodel-render"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for file in args.files:
        pdf = to_pdf(file, args.out) if file.suffix == ".pptx" else file
        pages = to_pngs(pdf, args.out, file.stem + "-" + file.suffix.lstrip("."))
        sheet = args.out / f"{file.stem}-{file.suffix.lstrip('.')}-overzicht.png"
        contact_sheet(pages, sheet)
        print(f"{file}: {len(pages)} pagina's → {sheet}")


if __name__ == "__main__":
    main()
