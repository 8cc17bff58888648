"""The image engine on synthetic scans: every cut line holds its own line (its printed number read
back) across a flatbed's and a phone's distortions; pages that must not be cut are flagged."""

import cv2
import numpy as np
import pytest

from devtools.synthetic import scans as synthetic
from scans import imaging
from scans.layout import Box, line_boxes

from .conftest import DPI


def _boxes() -> list[Box]:
    first, last = synthetic.layout_boxes()
    return line_boxes(Box.from_json(first), Box.from_json(last), 10)


def test_every_cut_line_holds_its_own_printed_number(
    reference, section_pages, alignments, number_reader
):
    size = (reference.shape[1], reference.shape[0])
    seen = []
    for page, found in zip(section_pages, alignments, strict=True):
        assert found.ok, (page.distortion, found.problem)
        lines = imaging.warp_lines(page.image, found.matrix, size, _boxes())
        for truth, line in zip(page.lines, lines, strict=True):
            number, score = number_reader(line)
            assert number == truth.number, (page.distortion, truth.number, number, score)
            seen.append(number)
    assert seen == list(range(1, 41))
    kinds = {page.distortion["kind"] for page in section_pages}
    assert kinds == {"flatbed", "phone"}
    assert max(abs(page.distortion["angle"]) for page in section_pages) > 2


def test_the_reference_itself_reads_back_and_a_wrong_cut_would_not(reference, number_reader):
    """The reader can fail: a line cut one pitch low reads as the next line's number."""
    lines = imaging.cut_lines(reference, _boxes())
    assert [number_reader(line)[0] for line in lines] == list(range(1, 11))
    shifted = [Box(b.x, b.y + (_boxes()[1].y - _boxes()[0].y), b.w, b.h) for b in _boxes()[:9]]
    assert [number_reader(line)[0] for line in imaging.cut_lines(reference, shifted)] == list(
        range(2, 11)
    )


def test_alignment_lands_within_a_few_pixels_of_the_truth(reference, section_pages, alignments):
    """The generator knows where it moved the page: points of the ruled table go back to within
    4 pixels (a line is about 126 pixels tall at 150 dpi)."""
    height, width = reference.shape
    points = np.float32(
        [[x * width, y * height] for x in (0.06, 0.5, 0.94) for y in (0.2, 0.6, 0.96)]
    ).reshape(-1, 1, 2)
    for page, found in zip(section_pages, alignments, strict=True):
        assert found.ok
        back = cv2.perspectiveTransform(
            cv2.perspectiveTransform(points, page.transform), np.array(found.matrix)
        )
        assert float(np.abs(back - points).max()) < 4.0, page.distortion


def test_warping_only_the_lines_gives_the_same_pixels_as_warping_the_page(
    reference, section_pages, alignments
):
    page, found = section_pages[1], alignments[1]
    size = (reference.shape[1], reference.shape[0])
    whole = imaging.cut_lines(imaging.warp_to_reference(page.image, found.matrix, size), _boxes())
    each = imaging.warp_lines(page.image, found.matrix, size, _boxes())
    for a, b in zip(whole, each, strict=True):
        assert a.shape == b.shape
        assert float(np.abs(a.astype(int) - b.astype(int)).mean()) < 1.0


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("blank", "blank"),
        ("photo", "does not match"),
        ("other form", "do not fall where"),
        ("upside down", "upside down"),
        ("cut off", "cut off at the bottom"),
    ],
)
def test_pages_that_must_not_be_cut_are_flagged_with_the_reason(
    reference, section_pages, case, words
):
    image = {
        "blank": lambda: synthetic.blank_page(DPI, seed=1),
        "photo": lambda: synthetic.random_photo(DPI, seed=2),
        "other form": lambda: synthetic.other_form_page(DPI, seed=4),
        "upside down": lambda: synthetic.upside_down(section_pages[0]),
        "cut off": lambda: section_pages[2].image[: int(section_pages[2].image.shape[0] * 0.8)],
    }[case]()
    found = imaging.align(image, reference)
    assert not found.ok
    assert words in found.problem
    assert found.matrix == []


def test_straighten_levels_a_turned_page(reference):
    turned = cv2.warpAffine(
        reference, cv2.getRotationMatrix2D((400, 500), 3.0, 1.0),
        (reference.shape[1], reference.shape[0]), borderValue=255,
    )  # fmt: skip
    small, _ = imaging._work_copy(turned)
    # The turn that levels it: back by 3 degrees.
    assert abs(imaging.skew_angle(small) + 3.0) < 0.3
    level, _ = imaging._work_copy(imaging.straighten(turned))
    assert abs(imaging.skew_angle(level)) < 0.3


def test_bytes_that_are_not_an_image_are_refused():
    with pytest.raises(imaging.ImageError):
        imaging.decode_grey(b"%PDF-1.4 not an image")


def test_bounded_shrinks_tall_pages_only():
    tall = np.full((4400, 3400), 255, np.uint8)
    assert imaging.bounded(tall).shape == (2200, 1700)
    small = np.full((1000, 800), 255, np.uint8)
    assert imaging.bounded(small) is small


def test_a_photo_whose_sheet_runs_off_the_frame_is_aligned_on_the_table(
    reference, section_pages, number_reader
):
    """The sheet's corners are not all in the photo (its top and left edges cut by the frame):
    the ruled table's corners fix the perspective instead."""
    page = section_pages[3]
    sheet = cv2.perspectiveTransform(
        np.float32([[[0, 0]], [[reference.shape[1], 0]], [[0, reference.shape[0]]]]),
        page.transform,
    )[:, 0]
    left, top = int(sheet[:, 0].min()) + 15, int(sheet[:, 1].min()) + 15
    cropped = page.image[top:, left:]
    assert imaging._sheet_corners(imaging._work_copy(cropped)[0]) == (None, True)
    found = imaging.align(cropped, reference)
    assert found.ok, found.problem
    size = (reference.shape[1], reference.shape[0])
    lines = imaging.warp_lines(cropped, found.matrix, size, _boxes())
    assert [number_reader(line)[0] for line in lines] == [t.number for t in page.lines]
