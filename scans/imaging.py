"""Straighten a scanned page, align it to the layout's sample page, and cut it into line images.

Pure functions on greyscale images (numpy uint8 arrays), OpenCV underneath. What every page of a
petition shares is its printed form (the notice, the ruled signature lines, the cells' labels and
numbers); handwriting differs from page to page. So a page is aligned to the sample page in three
steps, all on a small working copy:

1. Coarse: ORB features of the printed matter matched to the sample page's, and a homography
   found by RANSAC. This takes any turn, shift, scale and a phone's perspective in one go, with
   no starting guess (ECC alone, started from the page's skew, fails beyond a degree or two).
2. Fine: ECC on the ruling (the form's long rules, blurred) of the page warped by step 1, which
   is then nearly in place, so a few iterations suffice.
3. Check: the page's rules, warped, must land on the sample page's, band by band down the ruled
   area; the form must lie inside the scan; the turn and the scale must be those of a sheet
   scanned or photographed, not of something else.

A page that fails any step is not cut: it is flagged for a person with the reason in words
(scans.processing), never cut wrongly in silence.
"""

import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from scans.layout import Box

# Pages are aligned on a copy this wide (pixels); the full-resolution page is warped once.
WORK_WIDTH = 800
# The share of the sample page's rules that must be found on the aligned page, in every band of
# the ruled area (MIN_BAND_COVER) and over all of it (MIN_SCORE).
MIN_SCORE = 0.6
MIN_BAND_COVER = 0.45
BANDS = 10
# Matched features the homography must explain, at least.
MIN_INLIERS = 25
# The most a scan is expected to be turned (degrees) and scaled: a flatbed or a phone held
# over the sheet. Beyond this a page is flagged (upside down, sideways, another thing).
MAX_SKEW = 12.0
MIN_SCALE, MAX_SCALE = 0.5, 2.0
# A page whose rules are this much in place where the scan holds them is a cut-off sheet of the
# form (not another form) when its ruled area reaches outside the scan.
CUT_OFF_SCORE = 0.5
# The ruled table covers at least this share of the image (else it is not the table).
TABLE_MIN_SHARE = 0.2
# A photo's sheet covers between these shares of the photo (a flatbed scan: all of it).
SHEET_MIN_SHARE, SHEET_MAX_SHARE = 0.3, 0.93
# How far the ruled area may reach outside the scan (fraction of the scan) before the page is
# said to be cut off.
OUTSIDE_TOLERANCE = 0.01
# A page is stored at most this tall (pixels): about 200 dpi for a letter-size sheet.
MAX_PAGE_HEIGHT = 2200
JPEG_QUALITY = 80
ORB_FEATURES = 1500
# The fine step's pyramid: (fraction of the working copy, ECC iterations at that size).
ECC_LEVELS = ((0.25, 30), (0.5, 15))


def _f32(values: Any) -> np.ndarray:
    """An array of float32 (what OpenCV's point functions take)."""
    return np.asarray(values, dtype=np.float32)


class ImageError(ValueError):
    """The bytes are not an image this can read."""


@dataclass
class Alignment:
    ok: bool
    # Homography (3 rows of 3) from the page's pixels to the reference's pixels (full
    # resolution); a 2x3 affine matrix is accepted too (warp_to_reference takes either).
    matrix: list[list[float]] = field(default_factory=list)
    # The share of the reference's rules found in place on the aligned page (0..1).
    score: float = 0.0
    problem: str = ""
    # The worst band's share, the features that agreed, and the page's turn (degrees).
    band_cover: float = 0.0
    inliers: int = 0
    angle: float = 0.0
    refined: bool = False


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
    if abs(scale - 1.0) < 1e-6:
        return image, 1.0
    small = cv2.resize(
        image, (WORK_WIDTH, max(1, round(image.shape[0] * scale))), interpolation=cv2.INTER_AREA
    )
    return small, scale


def rule_mask(small: np.ndarray) -> np.ndarray:
    """The form's long horizontal and vertical strokes (its rules) on a level page, 0 or 255."""
    ink = cv2.adaptiveThreshold(
        small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 12
    )
    width = small.shape[1]
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(8, width // 14), 1))
    )
    vertical = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(8, width // 30)))
    )
    return cv2.bitwise_or(horizontal, vertical)


def ruling(small: np.ndarray) -> np.ndarray:
    """The rules as float32 0..1, blurred (what ECC compares)."""
    return cv2.GaussianBlur(rule_mask(small).astype(np.float32) / 255.0, (0, 0), 2.0)


def skew_angle(small: np.ndarray, max_skew: float = 6.0) -> float:
    """The page's turn in degrees, from its dark rows (projection profile: the angle at which
    the rows' ink is most concentrated), coarse to fine on a quarter-size copy."""
    tiny = cv2.resize(
        small, (small.shape[1] // 2, small.shape[0] // 2), interpolation=cv2.INTER_AREA
    )
    ink = cv2.adaptiveThreshold(tiny, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 12)
    ink = ink.astype(np.float32)
    centre = (tiny.shape[1] / 2, tiny.shape[0] / 2)

    def spread(angle: float) -> float:
        turn = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, turn, (tiny.shape[1], tiny.shape[0]))
        return float(np.var(rotated.sum(axis=1)))

    best_angle = 0.0
    for step, reach in ((1.0, max_skew), (0.25, 1.0), (0.05, 0.25)):
        angles = np.arange(best_angle - reach, best_angle + reach + 1e-9, step)
        best_angle = float(max(angles, key=lambda a: spread(float(a))))
    return best_angle


def straighten(image: np.ndarray) -> np.ndarray:
    """The page turned so its printed rows are level (the sample page, before marking)."""
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


@dataclass
class Reference:
    """What alignment needs of the sample page, computed once per reference."""

    shape: tuple[int, int]
    scale: float
    small: np.ndarray
    rules: np.ndarray  # ruling(), for ECC
    mask: np.ndarray  # rule_mask(), for the check
    keypoints: Any  # a sequence of cv2.KeyPoint
    descriptors: Any  # uint8 array, or None
    # The ruled area on the small copy: left, top, right, bottom (pixels).
    ruled: tuple[int, int, int, int]
    # The ruled table's corners on the small copy (_table_corners), if found.
    table: np.ndarray | None = None


_orb = cv2.ORB.create(nfeatures=ORB_FEATURES, scaleFactor=1.2, nlevels=6, fastThreshold=12)
_references: "OrderedDict[str, Reference]" = OrderedDict()


def _features(small: np.ndarray) -> tuple[Any, Any]:
    """ORB keypoints and descriptors (None when the image has no corners at all)."""
    return _orb.detectAndCompute(small, None)


def prepare_reference(reference: np.ndarray) -> Reference:
    """The reference's small copy, rules and features; kept for the last few references (a
    worker aligns many pages to one)."""
    # A sample of the pixels identifies it (hashing all of them costs as much as a resize).
    sample = np.ascontiguousarray(reference[::7, ::5])
    key = hashlib.blake2b(sample.tobytes(), digest_size=16).hexdigest() + str(reference.shape)
    found = _references.get(key)
    if found is not None:
        _references.move_to_end(key)
        return found
    small, scale = _work_copy(reference)
    mask = rule_mask(small)
    rows = np.flatnonzero(mask.sum(axis=1) > 0)
    cols = np.flatnonzero(mask.sum(axis=0) > 0)
    if len(rows) < 2 or len(cols) < 2:
        ruled = (0, 0, small.shape[1], small.shape[0])
    else:
        ruled = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
    keypoints, descriptors = _features(small)
    prepared = Reference(
        shape=(reference.shape[0], reference.shape[1]), scale=scale, small=small,
        rules=cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), 2.0), mask=mask,
        keypoints=keypoints, descriptors=descriptors, ruled=ruled, table=_table_corners(small),
    )  # fmt: skip
    _references[key] = prepared
    while len(_references) > 4:
        _references.popitem(last=False)
    return prepared


def _match(ref: Reference, small: np.ndarray) -> tuple[np.ndarray | None, int]:
    """The transform (3x3) from the page's small copy to the reference's, by ORB features and
    RANSAC, and how many matches it explains (None when too few agree). An affine transform:
    the printed matter that is the same on every page is mostly the header's text, a band too
    narrow to fix a perspective (the fine step does that, on the ruling)."""
    keypoints, descriptors = _features(small)
    if descriptors is None or ref.descriptors is None or len(keypoints) < MIN_INLIERS:
        return None, 0
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(descriptors, ref.descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < 0.8 * p[1].distance]
    if len(good) < MIN_INLIERS:
        return None, len(good)
    src = _f32([keypoints[m.queryIdx].pt for m in good]).reshape(-1, 1, 2)
    dst = _f32([ref.keypoints[m.trainIdx].pt for m in good]).reshape(-1, 1, 2)
    affine, inliers = cv2.estimateAffinePartial2D(
        src, dst, method=cv2.RANSAC, ransacReprojThreshold=3.0, maxIters=2000, confidence=0.995
    )
    if affine is None or inliers is None:
        return None, 0
    count = int(inliers.sum())
    if count < MIN_INLIERS:
        return None, count
    return np.vstack([affine, [0.0, 0.0, 1.0]]), count


def _sheet_corners(small: np.ndarray) -> tuple[np.ndarray | None, bool]:
    """The sheet's four corners (top-left, top-right, bottom-right, bottom-left) when the page
    is a photo of a sheet on a darker background; None for a scan the sheet fills. The sheet is
    a rectangle, so its corners fix a phone's perspective, which the printed header alone
    cannot (it is a narrow band). Also whether the photo's sheet runs off the frame."""
    blurred = cv2.GaussianBlur(small, (0, 0), 2.0)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None, False
    sheet = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(sheet) / float(small.shape[0] * small.shape[1])
    if not SHEET_MIN_SHARE <= share <= SHEET_MAX_SHARE:
        return None, False
    height, width = small.shape
    outline = sheet.reshape(-1, 2)
    if bool(
        (outline[:, 0] <= 1).any() or (outline[:, 1] <= 1).any()
        or (outline[:, 0] >= width - 2).any() or (outline[:, 1] >= height - 2).any()
    ):  # fmt: skip
        return None, True  # the sheet runs off the frame: its corners are not all there
    hull = cv2.convexHull(sheet)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4:
        return None, False
    return _ordered(quad.reshape(4, 2).astype(np.float32)), False


def _table_corners(small: np.ndarray) -> np.ndarray | None:
    """The ruled table's four corners (top-left, top-right, bottom-right, bottom-left): the
    largest connected ink inside the image (the grid of rules is one piece), its hull reduced to
    four points. For a photo whose sheet runs off the frame (its corners are not there to
    find), the table's own corners fix the perspective. None when no such quadrilateral."""
    ink = cv2.adaptiveThreshold(
        small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 12
    )
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count < 2:
        return None
    height, width = small.shape
    x, y, w, h, area = (stats[1:, k] for k in range(5))
    inner = (x > 1) & (y > 1) & (x + w < width - 1) & (y + h < height - 1)
    index = int(np.argmax(np.where(inner, area, 0)))
    if not inner[index] or w[index] * h[index] < TABLE_MIN_SHARE * width * height:
        return None
    hull = cv2.convexHull(cv2.findNonZero((labels == index + 1).astype(np.uint8)))
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4:
        return None
    return _ordered(quad.reshape(4, 2).astype(np.float32))


def _ordered(points: np.ndarray) -> np.ndarray | None:
    """Four points as top-left, top-right, bottom-right, bottom-left (None if they collapse)."""
    by_sum, by_diff = points.sum(axis=1), np.diff(points, axis=1).ravel()
    ordered = _f32(
        [points[by_sum.argmin()], points[by_diff.argmin()], points[by_sum.argmax()],
         points[by_diff.argmax()]]
    )  # fmt: skip
    if len({tuple(p) for p in ordered.tolist()}) != 4:
        return None
    return ordered


def _turn_and_scale(homography: np.ndarray, centre: tuple[float, float]) -> tuple[float, float]:
    """The turn (degrees) and scale of a homography about a point: where a short step right
    from the point goes."""
    cx, cy = centre
    points = _f32([[[cx, cy]], [[cx + 50, cy]], [[cx, cy + 50]]])
    mapped = cv2.perspectiveTransform(points, homography)[:, 0]
    across, down = mapped[1] - mapped[0], mapped[2] - mapped[0]
    angle = math.degrees(math.atan2(float(across[1]), float(across[0])))
    scale = math.sqrt(abs(float(across[0] * down[1] - across[1] * down[0]))) / 50
    return angle, scale


def _refine(ref: Reference, warped_small: np.ndarray) -> np.ndarray | None:
    """The residual homography (reference -> warped page, small copies) by ECC on the ruling,
    coarse to fine: at an eighth of the working size the ruled table is one grey block whose
    edges ECC lays on the reference's (a phone's perspective leaves the bottom of the table
    tens of pixels off after the coarse step, more than half a line's pitch, where finer
    levels alone would lock onto the neighbouring line's rules); then a quarter and half the
    working size. None when ECC does not converge."""
    warp = np.eye(3, dtype=np.float32)
    page_rules = ruling(warped_small)
    for factor, iterations in ECC_LEVELS:
        size = (round(ref.rules.shape[1] * factor), round(ref.rules.shape[0] * factor))
        template = cv2.resize(ref.rules, size, interpolation=cv2.INTER_AREA)
        moving = cv2.resize(page_rules, size, interpolation=cv2.INTER_AREA)
        scale = np.diag([factor, factor, 1.0]).astype(np.float32)
        level = scale @ warp @ np.linalg.inv(scale)
        criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, iterations, 1e-4)
        try:
            _, level = cv2.findTransformECC(
                template, moving, level.astype(np.float32), cv2.MOTION_HOMOGRAPHY, criteria,
                None, 3,  # type: ignore[call-overload]
            )  # fmt: skip
        except cv2.error:
            return None
        warp = (np.linalg.inv(scale) @ level @ scale).astype(np.float32)
    return warp.astype(np.float64)


def _cover(ref: Reference, warped_small: np.ndarray) -> tuple[float, float, str]:
    """How well the aligned page's rules land on the reference's: the share of the reference's
    rule pixels with a page rule within 2 pixels, over the ruled area and in its worst band;
    and where that band lies (top, middle, bottom)."""
    page_mask = cv2.dilate(rule_mask(warped_small), np.ones((5, 5), np.uint8))
    left, top, right, bottom = ref.ruled
    ref_area = ref.mask[top:bottom, left:right] > 0
    page_area = page_mask[top:bottom, left:right] > 0
    total = int(ref_area.sum())
    if total == 0:
        return 0.0, 0.0, ""
    score = float((ref_area & page_area).sum()) / total
    worst, where = 1.0, ""
    edges = np.linspace(0, bottom - top, BANDS + 1).round().astype(int)
    for index in range(BANDS):
        band_ref = ref_area[edges[index] : edges[index + 1]]
        count = int(band_ref.sum())
        if count == 0:
            continue
        share = float((band_ref & page_area[edges[index] : edges[index + 1]]).sum()) / count
        if share < worst:
            worst = share
            where = "top" if index < BANDS / 3 else "bottom" if index >= 2 * BANDS / 3 else "middle"
    return score, worst, where


def _outside(ref: Reference, to_page: np.ndarray, page_shape: tuple[int, int]) -> str:
    """Which side of the ruled area falls outside the scan ("" when it lies inside)."""
    left, top, right, bottom = ref.ruled
    corners = _f32([[[left, top]], [[right, top]], [[right, bottom]], [[left, bottom]]])
    mapped = cv2.perspectiveTransform(corners, to_page)[:, 0]
    height, width = page_shape
    slack_x, slack_y = width * OUTSIDE_TOLERANCE, height * OUTSIDE_TOLERANCE
    sides = []
    if mapped[:, 1].min() < -slack_y:
        sides.append("top")
    if mapped[:, 1].max() > height + slack_y:
        sides.append("bottom")
    if mapped[:, 0].min() < -slack_x:
        sides.append("left")
    if mapped[:, 0].max() > width + slack_x:
        sides.append("right")
    return " and ".join(sides)


def _flag(problem: str, **figures: float | int) -> Alignment:
    return Alignment(False, problem=problem, **figures)  # type: ignore[arg-type]


def align(page: np.ndarray, reference: np.ndarray) -> Alignment:
    """How to map the page onto the reference (the straightened sample page): a homography,
    coarse by features, fine by ECC on the ruling, then checked. Not ok, with the problem in
    words, when the page is blank, another form, turned over, cut off or too distorted."""
    ref = prepare_reference(reference)
    small, page_scale = _work_copy(page)
    if float(small.std()) < 4.0:
        return _flag("the page is blank (nothing printed or written on it was found)")
    ref_height, ref_width = ref.small.shape
    corners, off_frame = _sheet_corners(small)
    rectify = np.eye(3)
    if corners is not None:
        sheet = _f32([[0, 0], [ref_width, 0], [ref_width, ref_height], [0, ref_height]])
        rectify = cv2.getPerspectiveTransform(corners, sheet).astype(np.float64)
        seen = cv2.warpPerspective(
            small, rectify, (ref_width, ref_height), flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        )  # fmt: skip
    else:
        # A flatbed scan is turned and shifted, no more: the header's features fix it better
        # than the table's corners, which a signer's flourish across the frame may move.
        table = _table_corners(small) if off_frame else None
        if table is not None and ref.table is not None:
            rectify = cv2.getPerspectiveTransform(table, ref.table).astype(np.float64)
            seen = cv2.warpPerspective(
                small, rectify, (ref_width, ref_height), flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REPLICATE,
            )  # fmt: skip
        else:
            seen = small
    homography, inliers = _match(ref, seen)
    if homography is None:
        # Turned over? The same features, the page turned half round, say so in words.
        turned, turned_inliers = _match(ref, cv2.rotate(seen, cv2.ROTATE_180))
        if turned is not None and turned_inliers >= 2 * MIN_INLIERS:
            return _flag("the page is upside down: turn it and scan it again", inliers=inliers)
        return _flag(
            "the page does not match the sample page's form (too few printed marks in common: "
            f"{inliers}); it may be another form or not a petition page",
            inliers=inliers,
        )
    homography = homography @ rectify
    angle, scale = _turn_and_scale(homography, (small.shape[1] / 2, small.shape[0] / 2))
    if abs(angle) > MAX_SKEW:
        where = "upside down" if abs(angle) > 135 else f"turned {abs(angle):.0f} degrees"
        return _flag(
            f"the page is {where}: turn it upright and scan it again",
            inliers=inliers, angle=-angle,
        )  # fmt: skip
    # scale here is small-page -> small-reference; the sheet's size in the scan is its inverse.
    if not MIN_SCALE <= scale <= MAX_SCALE:
        return _flag(
            f"the form appears at {1 / scale:.0%} of the sample page's size: too distorted to cut",
            inliers=inliers, angle=-angle,
        )  # fmt: skip
    warped = cv2.warpPerspective(
        small, homography, (ref_width, ref_height), flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT, borderValue=255,
    )  # fmt: skip
    score, worst, where = _cover(ref, warped)
    refined = False
    residual = _refine(ref, warped)
    if residual is not None:
        # ECC's warp maps the reference's frame into the warped page's: the page goes to the
        # reference by the inverse of it after the coarse homography.
        candidate = np.linalg.inv(residual) @ homography
        rewarped = cv2.warpPerspective(
            small, candidate, (ref_width, ref_height), flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT, borderValue=255,
        )  # fmt: skip
        new_score, new_worst, new_where = _cover(ref, rewarped)
        if new_score >= score and new_worst >= worst - 0.02:
            homography, score, worst, where, refined = (
                candidate,
                new_score,
                new_worst,
                new_where,
                True,
            )
    figures = {"inliers": inliers, "angle": -angle, "band_cover": worst, "score": score}
    # Checked once refined: the coarse step, fixed on the header, may be tens of pixels off at
    # the bottom of the table.
    side = _outside(ref, np.linalg.inv(homography), small.shape)
    misplaced = score < MIN_SCORE or worst < MIN_BAND_COVER
    if side and (not misplaced or score >= CUT_OFF_SCORE):
        return _flag(
            f"part of the form is outside the scan (cut off at the {side}): scan the whole sheet",
            **figures,
        )
    if misplaced:
        return _flag(
            "the page's ruled lines do not fall where the sample page's do "
            f"({score:.0%} in place, {worst:.0%} near the {where}): another form, a folded or "
            "torn sheet, or too distorted to cut",
            **figures,
        )
    # homography maps page-small -> reference-small; at full resolution:
    # page -> reference = S_ref^-1 . H . S_page.
    to_small = np.diag([page_scale, page_scale, 1.0])
    from_small = np.diag([1 / ref.scale, 1 / ref.scale, 1.0])
    full = from_small @ homography @ to_small
    full /= full[2, 2]
    return Alignment(
        True, matrix=full.tolist(), score=score, band_cover=worst, inliers=inliers,
        angle=-angle, refined=refined,
    )  # fmt: skip


def warp_to_reference(
    page: np.ndarray, matrix: list[list[float]], size: tuple[int, int]
) -> np.ndarray:
    """The page mapped into the reference's frame (size: the reference's width, height); matrix
    is a homography (3 rows) or an affine transform (2 rows)."""
    transform = np.array(matrix, dtype=np.float64)
    if transform.shape == (2, 3):
        transform = np.vstack([transform, [0.0, 0.0, 1.0]])
    return cv2.warpPerspective(
        page, transform, size, flags=cv2.INTER_LINEAR,
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


def warp_lines(
    page: np.ndarray, matrix: list[list[float]], size: tuple[int, int], boxes: list[Box]
) -> list[np.ndarray]:
    """The line images straight from the page, each box warped on its own: the same pixels as
    cut_lines(warp_to_reference(...)) without warping the header and margins."""
    transform = np.array(matrix, dtype=np.float64)
    if transform.shape == (2, 3):
        transform = np.vstack([transform, [0.0, 0.0, 1.0]])
    width, height = size
    lines = []
    for box in boxes:
        left, top, right, bottom = box.pixels(width, height)
        shift = np.array([[1.0, 0.0, -left], [0.0, 1.0, -top], [0.0, 0.0, 1.0]])
        lines.append(
            cv2.warpPerspective(
                page, shift @ transform, (max(1, right - left), max(1, bottom - top)),
                flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255,
            )
        )  # fmt: skip
    return lines
