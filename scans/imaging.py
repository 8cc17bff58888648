"""Straighten a scanned page, align it to the layout's sample page, and cut it into line images.

Pure functions on greyscale images (numpy uint8 arrays), OpenCV underneath. The printed form is
what every page of a petition shares (its ruled signature lines, boxes and text), so pages are
aligned to the sample page on the form's ruling: handwriting differs from page to page, the
rules do not. A page whose alignment does not reach MIN_SCORE is not cut: it is flagged for a
person (scans.processing), never cut wrongly in silence.
"""

from dataclasses import dataclass, field

import cv2
import numpy as np

from scans.layout import Box

# Pages are estimated on a copy this wide (pixels); the full-resolution page is warped once.
WORK_WIDTH = 850
# The similarity (ECC correlation of the ruling) below which a page is not trusted.
MIN_SCORE = 0.55
# The most a scan is expected to be turned (degrees): a flatbed or a phone held over the sheet.
MAX_SKEW = 6.0
# A page is stored at most this tall (pixels): about 200 dpi for a letter-size sheet.
MAX_PAGE_HEIGHT = 2200
JPEG_QUALITY = 80


class ImageError(ValueError):
    """The bytes are not an image this can read."""


@dataclass
class Alignment:
    ok: bool
    # 2x3 affine matrix from the page's pixels to the reference's pixels (full resolution).
    matrix: list[list[float]] = field(default_factory=list)
    score: float = 0.0
    problem: str = ""


def decode_grey(data: bytes) -> np.ndarray:
    """An encoded image (JPEG, PNG, ...) as a greyscale array."""
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None or image.size == 0:
        raise ImageError("not an image that can be read")
    return image


def encode_jpeg(image: np.ndarray, quality: int = JPEG_QUALITY) -> bytes:
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ImageError("could not encode the image")
    return buffer.tobytes()


def bounded(image: np.ndarray, max_height: int = MAX_PAGE_HEIGHT) -> np.ndarray:
    """The page no taller than max_height (a phone photo of 4000 px is shrunk; smaller stays)."""
    height, width = image.shape[:2]
    if height <= max_height:
        return image
    scale = max_height / height
    return cv2.resize(image, (round(width * scale), max_height), interpolation=cv2.INTER_AREA)


def _work_copy(image: np.ndarray) -> tuple[np.ndarray, float]:
    scale = WORK_WIDTH / image.shape[1]
    small = cv2.resize(
        image, (WORK_WIDTH, max(1, round(image.shape[0] * scale))), interpolation=cv2.INTER_AREA
    )
    return small, scale


def ruling(small: np.ndarray) -> np.ndarray:
    """The form's long horizontal and vertical strokes (its rules), as float32 0..1, blurred."""
    ink = cv2.adaptiveThreshold(
        small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15
    )
    width = small.shape[1]
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(8, width // 12), 1))
    )
    vertical = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(8, width // 25)))
    )
    rules = cv2.bitwise_or(horizontal, vertical).astype(np.float32) / 255.0
    return cv2.GaussianBlur(rules, (0, 0), 2.0)


def skew_angle(small: np.ndarray) -> float:
    """The page's turn in degrees, from its horizontal rules (projection profile: the angle at
    which the rows' ink is most concentrated)."""
    rules = ruling(small)
    centre = (small.shape[1] / 2, small.shape[0] / 2)
    best, best_angle = -1.0, 0.0
    for coarse in (2.0, 0.25):
        start = best_angle - (MAX_SKEW if coarse == 2.0 else 2.0)
        stop = best_angle + (MAX_SKEW if coarse == 2.0 else 2.0)
        for angle in np.arange(start, stop + 1e-9, coarse / 2):
            turn = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
            rotated = cv2.warpAffine(rules, turn, (small.shape[1], small.shape[0]))
            profile = rotated.sum(axis=1)
            spread = float(np.var(profile))
            if spread > best:
                best, best_angle = spread, float(angle)
    return best_angle


def straighten(image: np.ndarray) -> np.ndarray:
    """The page turned so its printed rules are level (the sample page, before marking)."""
    small, _ = _work_copy(image)
    angle = skew_angle(small)
    if abs(angle) < 0.05:
        return image
    centre = (image.shape[1] / 2, image.shape[0] / 2)
    turn = cv2.getRotationMatrix2D(centre, angle, 1.0)
    return cv2.warpAffine(
        image, turn, (image.shape[1], image.shape[0]), flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT, borderValue=255,
    )  # fmt: skip


def align(page: np.ndarray, reference: np.ndarray) -> Alignment:
    """How to map the page onto the reference (the straightened sample page): an affine
    transform found by ECC on the two pages' ruling, started from the page's skew and a
    phase-correlation shift. Not ok (with the problem in words) when the pages do not agree."""
    ref_small, ref_scale = _work_copy(reference)
    page_small, page_scale = _work_copy(page)
    ref_rules, page_rules = ruling(ref_small), ruling(page_small)
    if float(page_rules.max(initial=0.0)) < 0.05:
        return Alignment(
            False, problem="no printed lines found on the page (blank or not the form)"
        )
    # Start: the page's own skew, then the shift that best lays its rules on the reference's.
    angle = skew_angle(page_small)
    centre = (page_small.shape[1] / 2, page_small.shape[0] / 2)
    start = cv2.getRotationMatrix2D(centre, angle, 1.0).astype(np.float32)
    height, width = ref_rules.shape
    turned = cv2.warpAffine(page_rules, start, (width, height))
    (dx, dy), _ = cv2.phaseCorrelate(turned, ref_rules)
    start[0, 2] -= dx
    start[1, 2] -= dy
    # ECC finds the transform from the reference's frame into the page's: invert the start.
    warp = cv2.invertAffineTransform(start).astype(np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 80, 1e-5)
    try:
        score, warp = cv2.findTransformECC(
            ref_rules,
            page_rules,
            warp,
            cv2.MOTION_AFFINE,
            criteria,
            None,
            5,  # type: ignore[call-overload]
        )
    except cv2.error:
        return Alignment(False, problem="the page could not be aligned to the sample page")
    if score < MIN_SCORE:
        return Alignment(
            False, score=float(score),
            problem=f"the page does not match the sample page's form (similarity {score:.2f})",
        )  # fmt: skip
    # warp maps reference-small -> page-small; to full resolution: page = S_p * W * S_r^-1.
    full = np.vstack([warp, [0, 0, 1]]).astype(np.float64)
    to_small = np.diag([ref_scale, ref_scale, 1.0])
    from_small = np.diag([1 / page_scale, 1 / page_scale, 1.0])
    ref_to_page = from_small @ full @ to_small
    page_to_ref = np.linalg.inv(ref_to_page)[:2]
    return Alignment(True, matrix=page_to_ref.tolist(), score=float(score))


def warp_to_reference(
    page: np.ndarray, matrix: list[list[float]], size: tuple[int, int]
) -> np.ndarray:
    """The page mapped into the reference's frame (size: the reference's width, height)."""
    return cv2.warpAffine(
        page, np.array(matrix, dtype=np.float64), size, flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT, borderValue=255,
    )  # fmt: skip


def cut_lines(aligned: np.ndarray, boxes: list[Box]) -> list[np.ndarray]:
    """One image per line box of an aligned page."""
    height, width = aligned.shape[:2]
    lines = []
    for box in boxes:
        left, top, right, bottom = box.pixels(width, height)
        lines.append(aligned[top:bottom, left:right].copy())
    return lines
