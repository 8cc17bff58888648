"""Synthetic scans shared by the scans tests: a sample page (the layout's reference) and a few
distorted pages, made once per session at 150 dpi (small enough to keep the tests fast)."""

import cv2
import numpy as np
import pytest

from devtools.synthetic import scans as synthetic
from scans.layout import Box

DPI = 150


@pytest.fixture(scope="session")
def reference() -> np.ndarray:
    return synthetic.reference_page(dpi=DPI, seed=3)


@pytest.fixture(scope="session")
def section_pages() -> list[synthetic.SyntheticPage]:
    """Four pages of section 5: flatbed, phone, flatbed, phone (turned, shifted, scaled, seen in
    perspective, blurred, noisy, unevenly lit, JPEG-compressed)."""
    return synthetic.make_section(
        5, 4, seed=9, dpi=DPI, kinds=["flatbed", "phone", "flatbed", "phone"], roll_size=500
    )


@pytest.fixture(scope="session")
def alignments(reference, section_pages) -> list:
    """Each of section_pages aligned to the reference (once: several tests look at them)."""
    from scans import imaging

    return [imaging.align(page.image, reference) for page in section_pages]


@pytest.fixture(scope="session")
def number_reader():
    """Reads the printed line number back from a cut line image: template matching against the
    number cells of the clean form, rendered for lines 1 to 40."""
    left, top, right, bottom = synthetic.number_cell()
    first, last = synthetic.layout_boxes()
    boxes = [Box.from_json(first), Box.from_json(last)]
    templates: dict[int, np.ndarray] = {}
    for start in (1, 11, 21, 31):
        form = synthetic.render_form(dpi=DPI, first_number=start)
        height, width = form.shape
        for index in range(10):
            box = (
                boxes[0]
                if index == 0
                else Box(
                    boxes[0].x,
                    boxes[0].y + index * (boxes[1].y - boxes[0].y) / 9,
                    boxes[0].w,
                    boxes[0].h,
                )
            )
            x0, y0, x1, y1 = box.pixels(width, height)
            line = form[y0:y1, x0:x1]
            h, w = line.shape
            # The digits only (the cell without its rules), so the number decides the match.
            cell = line[round(h * (top + 0.2)) : round(h * (bottom - 0.2)),
                        round(w * (left + 0.008)) : round(w * (right - 0.008))]  # fmt: skip
            templates[start + index] = cell

    def read(line_image: np.ndarray) -> tuple[int, float]:
        width = line_image.shape[1]
        region = line_image[:, : round(width * (right + 0.02))]
        best, best_score = 0, -1.0
        for number, template in templates.items():
            if template.shape[0] > region.shape[0] or template.shape[1] > region.shape[1]:
                continue
            score = float(cv2.matchTemplate(region, template, cv2.TM_CCOEFF_NORMED).max())
            if score > best_score:
                best, best_score = number, score
        return best, best_score

    return read
