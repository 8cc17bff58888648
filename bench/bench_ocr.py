"""Would Tesseract's reading of the printed name save a volunteer keystrokes? (issue 19)

    python bench/bench_ocr.py [--pages 20] [--dpi 200] [--seed 11]

Generates synthetic scanned pages (devtools/synthetic/scans.py: the state's form filled in by
hand, flatbed and phone), aligns and cuts them as the app does (scans.imaging), crops each
written line's printed-name cell below its printed label, and runs Debian's Tesseract on it
(`tesseract - - --psm 7`, one line of text; no Python binding). Against the truth (what the
generator wrote), with case and spacing ignored, as the entry row's name field does:

- character error rate (edit distance / length of the truth);
- exact readings, and near misses (one or two characters wrong: the readings a volunteer
  correcting a pre-fill is likely to accept unseen, an error pre-fill would add);
- keystrokes: typing the name from nothing (its length) against correcting the pre-fill,
  modelled as two keystrokes per wrong character (move there, fix it), or clearing the field
  and typing it all when that is fewer (length + 1); an empty reading costs the length.

No database. Pre-fill is worth building only if it saves keystrokes without adding errors.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

import jellyfish

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TESSERACT = "tesseract"


def distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions), jellyfish's as the engine's."""
    return jellyfish.levenshtein_distance(a, b)


def canonical(text: str) -> str:
    return " ".join(text.upper().split())


def read(image_png: bytes) -> str:
    result = subprocess.run(
        [TESSERACT, "-", "-", "--psm", "7", "-l", "eng"],
        input=image_png, capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    return result.stdout.decode("utf-8", "replace").strip()


def name_cells(pages: int, dpi: int, seed: int):
    """(cell image, truth) for every written, not crossed-out line of the generated pages."""
    import cv2
    import numpy as np

    from devtools.synthetic import scans as synthetic
    from scans import imaging
    from scans.layout import Box, line_boxes

    form = synthetic.STATE_FORM
    reference = synthetic.reference_page(dpi=dpi, seed=seed)
    first, last = synthetic.layout_boxes()
    boxes = line_boxes(Box.from_json(first), Box.from_json(last), form.lines_per_page)
    left, top, right, bottom = form.line_rect(0)
    x0, y0, x1, y1 = form.cell(0, "name")
    # The cell inside its rules, below the printed label (the label takes its top third).
    fx0, fx1 = (x0 - left) / (right - left) + 0.006, (x1 - left) / (right - left) - 0.006
    fy0, fy1 = (y0 - top) / (bottom - top) + 0.16, (y1 - top) / (bottom - top) - 0.02
    size = (reference.shape[1], reference.shape[0])
    flagged = 0
    for serial in range(1, 1 + (pages + 9) // 10):
        count = min(10, pages - (serial - 1) * 10)
        for page in synthetic.make_section(serial, count, seed, dpi=dpi, roll_size=5000):
            found = imaging.align(page.image, reference)
            if not found.ok:
                flagged += 1
                continue
            for truth, line in zip(
                page.lines, imaging.warp_lines(page.image, found.matrix, size, boxes), strict=True
            ):
                if truth.status != "filled" or not truth.printed_name:
                    continue
                h, w = line.shape
                cell = line[round(h * fy0) : round(h * fy1), round(w * fx0) : round(w * fx1)]
                # Tesseract reads dark text on white best, with a margin round it.
                cell = cv2.copyMakeBorder(cell, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)
                ok, png = cv2.imencode(".png", cell)
                if ok:
                    yield np.asarray(png).tobytes(), truth.printed_name
    if flagged:
        print(f"{flagged} pages flagged (not read)", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    try:
        subprocess.run([TESSERACT, "--version"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        sys.exit("Tesseract is not installed: make scan-tools (Debian's tesseract-ocr)")

    began = time.perf_counter()
    chars = errors = exact = near = empty = typed = corrected = lines = 0
    examples = []
    for png, written in name_cells(args.pages, args.dpi, args.seed):
        truth, reading = canonical(written), canonical(read(png))
        wrong = distance(reading, truth)
        lines += 1
        chars += len(truth)
        errors += wrong
        exact += wrong == 0
        near += 1 <= wrong <= 2
        empty += not reading
        typed += len(truth)
        corrected += len(truth) if not reading else min(2 * wrong, len(truth) + 1)
        if len(examples) < 8:
            examples.append((truth, reading))
    seconds = time.perf_counter() - began
    if not lines:
        sys.exit("no written lines were read")
    saved = typed - corrected
    rows = [
        ("names read", f"{lines} printed-name cells ({args.pages} pages, {args.dpi} dpi)"),
        ("character error rate", f"{errors / chars:.1%}"),
        ("read exactly", f"{exact / lines:.1%}"),
        ("near misses (1-2 characters wrong)", f"{near / lines:.1%} (errors pre-fill would add)"),
        ("nothing read", f"{empty / lines:.1%}"),
        ("keystrokes typing from nothing", f"{typed} ({typed / lines:.1f} a name)"),
        ("keystrokes correcting the pre-fill", f"{corrected} ({corrected / lines:.1f} a name)"),
        ("saved (cost when negative)", f"{saved} ({saved / typed:+.1%})"),
        ("time", f"{seconds:.0f} s ({seconds / lines * 1000:.0f} ms a name, with the cutting)"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"| {'OCR of the printed name'.ljust(width)} | figure |")
    print(f"|{'-' * (width + 2)}|--------|")
    for label, value in rows:
        print(f"| {label.ljust(width)} | {value} |")
    print("\nexamples (truth -> Tesseract):")
    for truth, reading in examples:
        print(f"  {truth!r} -> {reading!r}")
    worth = saved > 0 and near / lines < 0.01
    print(
        "\ndecision: "
        + ("pre-fill saves keystrokes without adding errors" if worth else
           "pre-fill stays out: it does not save keystrokes without adding errors")
    )  # fmt: skip


if __name__ == "__main__":
    main()
