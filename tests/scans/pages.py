"""Synthetic scanned pages for the scans tests: a ruled petition form drawn with OpenCV, upright
(no distortion), each line holding its printed number and a name, and stored as a ScanPage
through the scans storage, as an upload would store it."""

import hashlib
import shutil
from pathlib import Path

import cv2
import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile

from petitions.models import Section
from scans import imaging
from scans.layout import Box
from scans.models import ScanPage, scans_storage

WIDTH, HEIGHT = 1100, 1400
LINES = 10
# Where the form's signature lines lie (pixels): one row of ROW_HEIGHT under TOP each.
TOP, ROW_HEIGHT, LEFT, RIGHT = 250, 100, 60, 1040
NAMES = ["Ana Ruiz", "Bob Smithers", "Carla Diaz", "Dan Okafor", "Eve Tran", "Frank Li",
         "Gina Park", "Hugo Ortiz", "Ida Moss", "Jon Bell"]  # fmt: skip


def line_box(index: int) -> Box:
    """The true box of the index-th line (from 0), in fractions of the page."""
    return Box(LEFT / WIDTH, (TOP + index * ROW_HEIGHT) / HEIGHT, (RIGHT - LEFT) / WIDTH,
               ROW_HEIGHT / HEIGHT)  # fmt: skip


def render_page(seed: int = 0, lines: int = LINES, ruled: bool = True) -> np.ndarray:
    """A greyscale page of the form with `lines` lines filled in (names shifted by seed).
    Unruled, only the writing: a page the aligner finds no form on (it needs a person)."""
    page = np.full((HEIGHT, WIDTH), 255, np.uint8)
    cv2.putText(page, "PETITION FOR RECALL", (250, 120), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 3)
    if ruled:
        cv2.rectangle(page, (LEFT, TOP), (RIGHT, TOP + lines * ROW_HEIGHT), 0, 3)
        for x in (140, 560):
            cv2.line(page, (x, TOP), (x, TOP + lines * ROW_HEIGHT), 0, 2)
    for index in range(lines):
        top = TOP + index * ROW_HEIGHT
        if ruled:
            cv2.line(page, (LEFT, top + ROW_HEIGHT), (RIGHT, top + ROW_HEIGHT), 0, 2)
        cv2.putText(page, str(index + 1), (80, top + 65), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 0, 2)
        name = NAMES[(index + seed) % len(NAMES)]
        cv2.putText(page, name, (170, top + 68), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.4, 40, 2)
        cv2.putText(page, f"{100 + seed * 7 + index} Elm St", (590, top + 68),
                    cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.2, 40, 2)  # fmt: skip
    return page


def remove_scan_files(petition_id: int) -> None:
    """The files a test stored for a petition (pages, line images, the layout's reference)."""
    location = Path(settings.STORAGES["scans"]["OPTIONS"]["location"])
    for folder in ("pages", "lines", "layouts"):
        shutil.rmtree(location / folder / str(petition_id), ignore_errors=True)


def store_page(section: Section, page_number: int, image: np.ndarray, **fields) -> ScanPage:
    """The page stored as an upload stores it: JPEG bytes named by their SHA-256."""
    data = imaging.encode_jpeg(image, quality=90)
    sha = hashlib.sha256(data).hexdigest()
    name = scans_storage().save(f"pages/{section.petition_id}/{sha}.jpg", ContentFile(data))
    return ScanPage.objects.create(
        petition=section.petition, section=section, page_number=page_number, sha256=sha,
        image=name, width=image.shape[1], height=image.shape[0], bytes=len(data), **fields,
    )  # fmt: skip
