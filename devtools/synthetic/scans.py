"""Synthetic scans of petition sections: pages of the state's recall form filled in by hand, then
scanned on a flatbed or photographed with a phone; with the truth for every line and page.

The form (FormLayout) is the California recall petition's signature page: a header with the
notice and the petition's title, then numbered signature lines at a fixed pitch, each with ruled
cells for the printed name, the residence address, the city, the ZIP and the signature. Lines are
written by voters of a generated roll (roll.iter_voters, noise.Writer), each in another hand (a
handwriting-like font from Debian's packages, its pen pressure varying), some left blank or
crossed out. A page is then distorted as a flatbed or a phone would (turned, shifted, scaled,
seen in perspective over a background, blurred, noisy, unevenly lit, JPEG-compressed), and the
transform from the clean page to the scan is kept, so a test knows where every line went.

Deterministic from the seed. No Django here (see devtools/synthetic/__init__.py); OpenCV, numpy
and Pillow are the app's own dependencies.
"""

from __future__ import annotations

import io
import math
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from devtools.synthetic.noise import Writer
from devtools.synthetic.roll import ROLL_HEADER, iter_voters
from devtools.synthetic.tables import county_tables

# Handwriting-like fonts from Debian's packages (scripts/scan_tools.sh installs them); DejaVu's
# oblique faces stand in when they are missing.
HAND_FONTS = (
    "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf",
    "/usr/share/fonts/truetype/fifthhorseman/dkgIt.ttf",
    "/usr/share/fonts/truetype/fifthhorseman/dkgBd.ttf",
    "/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeCreate-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeMentor-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeOrganize-Regular.otf",
    "/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf",
)
FALLBACK_HAND_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Oblique.ttf",
)
PRINT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PRINT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

NOTICE = (
    "NOTICE OF INTENTION TO CIRCULATE RECALL PETITION. To the Honorable {officer}: Pursuant to "
    "section 11020 of the California Elections Code, the undersigned registered qualified voters "
    "of the County of Los Angeles hereby give notice that we are the proponents of a recall "
    "petition and that we intend to seek the recall and removal of {officer} from the office "
    "held in the County of Los Angeles. The grounds for the recall are set out in full on the "
    "first page of this section."
)
TITLE = "PETITION FOR RECALL"
INSTRUCTIONS = (
    "Only registered voters of the County of Los Angeles may sign. Print your name and your "
    "residence address as registered; sign as registered. Do not sign more than once."
)
CELL_LABELS = {
    "name": "PRINT YOUR NAME",
    "signature": "SIGNATURE AS REGISTERED",
    "address": "RESIDENCE ADDRESS ONLY",
    "city": "CITY",
    "zip": "ZIP",
}
# How often a line is left blank or written then crossed out.
BLANK_SHARE = 0.08
CROSSED_SHARE = 0.05
# How often a page is a phone photo rather than a flatbed scan (kind="mixed").
PHONE_SHARE = 0.4


def _f32(values: Any) -> np.ndarray:
    """An array of float32 (what OpenCV's point functions take)."""
    return np.asarray(values, dtype=np.float32)


@dataclass(frozen=True)
class FormLayout:
    """Where the form prints things, in inches on a letter-size page (8.5 x 11)."""

    lines_per_page: int = 10
    title: str = TITLE
    officer: str = "the District Attorney"
    left: float = 0.5
    right: float = 8.0
    header_top: float = 0.45
    lines_top: float = 2.2
    pitch: float = 0.84
    number_width: float = 0.45
    # Cell boundaries in inches from the page's left edge: the first row (name | signature),
    # the second (address | city | zip).
    name_right: float = 4.55
    address_right: float = 5.45
    city_right: float = 7.1
    width_in: float = 8.5
    height_in: float = 11.0

    def line_rect(self, index: int) -> tuple[float, float, float, float]:
        """The index-th (0-based) line's rectangle in inches: left, top, right, bottom."""
        top = self.lines_top + index * self.pitch
        return self.left, top, self.right, top + self.pitch

    def line_box(self, index: int) -> dict[str, float]:
        """The line's rectangle as fractions of the page (scans.layout.Box's JSON)."""
        left, top, right, bottom = self.line_rect(index)
        return {
            "x": left / self.width_in,
            "y": top / self.height_in,
            "w": (right - left) / self.width_in,
            "h": (bottom - top) / self.height_in,
        }

    def cell(self, index: int, name: str) -> tuple[float, float, float, float]:
        """A cell of the index-th line in inches: left, top, right, bottom."""
        left, top, right, bottom = self.line_rect(index)
        mid = (top + bottom) / 2
        first = left + self.number_width
        cells = {
            "number": (left, top, first, bottom),
            "name": (first, top, self.name_right, mid),
            "signature": (self.name_right, top, right, mid),
            "address": (first, mid, self.address_right, bottom),
            "city": (self.address_right, mid, self.city_right, bottom),
            "zip": (self.city_right, mid, right, bottom),
        }
        return cells[name]


STATE_FORM = FormLayout()
# Another form (tests: a page of it must be flagged): fewer, taller lines, other columns.
OTHER_FORM = FormLayout(
    lines_per_page=7, title="PETITION FOR REFERENDUM", lines_top=3.2, pitch=1.05,
    name_right=3.6, address_right=4.4, city_right=6.5, header_top=1.0,
)  # fmt: skip


@dataclass
class LineTruth:
    """What one line of a page says: number is the section's line number (printed on it)."""

    number: int
    status: str  # "filled", "blank" or "crossed_out"
    printed_name: str = ""
    residence_address: str = ""
    city: str = ""
    zip: str = ""
    signed: bool = False
    voter_id: str = ""
    font: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class SyntheticPage:
    """One page as scanned, the clean page it came from and the truth of its lines.

    transform: the 3x3 homography from the clean page's pixels to the scan's pixels."""

    serial: int
    page_number: int
    image: np.ndarray
    clean: np.ndarray
    lines: list[LineTruth]
    distortion: dict[str, Any]
    transform: np.ndarray = field(default_factory=lambda: np.eye(3))
    jpeg_quality: int = 85

    def jpeg(self) -> bytes:
        ok, data = cv2.imencode(".jpg", self.image, [cv2.IMWRITE_JPEG_QUALITY, self.jpeg_quality])
        if not ok:  # pragma: no cover - OpenCV encodes any uint8 image
            raise ValueError("could not encode the page")
        return data.tobytes()

    def png(self) -> bytes:
        ok, data = cv2.imencode(".png", self.image)
        if not ok:  # pragma: no cover
            raise ValueError("could not encode the page")
        return data.tobytes()

    def truth(self) -> dict[str, Any]:
        return {
            "section": self.serial,
            "page": self.page_number,
            "distortion": self.distortion,
            "transform": np.round(self.transform, 6).tolist(),
            "lines": [line.as_dict() for line in self.lines],
        }


@cache
def hand_fonts() -> tuple[str, ...]:
    """The handwriting fonts installed (or DejaVu's oblique faces)."""
    found = tuple(path for path in HAND_FONTS if Path(path).exists())
    return found or tuple(path for path in FALLBACK_HAND_FONTS if Path(path).exists())


@cache
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def _px(inches: float, dpi: int) -> int:
    return round(inches * dpi)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        attempt = f"{current} {word}".strip()
        if draw.textlength(attempt, font=font) <= width or not current:
            current = attempt
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def render_form(
    form: FormLayout = STATE_FORM, dpi: int = 150, first_number: int = 1, serial: int | None = None
) -> np.ndarray:
    """The printed form, empty, as a greyscale page: the header, then the ruled, numbered lines
    (numbered on from first_number, as a section's pages are)."""
    width, height = _px(form.width_in, dpi), _px(form.height_in, dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    left, right = _px(form.left, dpi), _px(form.right, dpi)
    small = _font(PRINT_FONT, max(8, round(dpi * 0.105)))
    label = _font(PRINT_FONT, max(6, round(dpi * 0.07)))
    bold = _font(PRINT_BOLD, max(10, round(dpi * 0.2)))
    y = _px(form.header_top, dpi)
    for text_line in _wrap(draw, NOTICE.format(officer=form.officer), small, right - left):
        draw.text((left, y), text_line, fill=0, font=small)
        y += round(small.size * 1.3)
    y += round(dpi * 0.12)
    title_width = draw.textlength(form.title, font=bold)
    draw.text(((width - title_width) / 2, y), form.title, fill=0, font=bold)
    y += round(bold.size * 1.5)
    for text_line in _wrap(draw, INSTRUCTIONS, small, right - left):
        draw.text((left, y), text_line, fill=0, font=small)
        y += round(small.size * 1.3)
    if serial is not None:
        draw.text((right - dpi * 1.6, y + 2), f"SECTION No. {serial}", fill=0, font=small)
    rule = max(1, round(dpi / 75))
    number_font = _font(PRINT_BOLD, max(8, round(dpi * 0.16)))
    for index in range(form.lines_per_page):
        for name in ("number", "name", "signature", "address", "city", "zip"):
            x0, y0, x1, y1 = (_px(v, dpi) for v in form.cell(index, name))
            draw.rectangle((x0, y0, x1, y1), outline=0, width=rule)
            if name == "number":
                text = str(first_number + index)
                tw = draw.textlength(text, font=number_font)
                draw.text(
                    ((x0 + x1 - tw) / 2, (y0 + y1) / 2 - number_font.size * 0.6), text,
                    fill=0, font=number_font,
                )  # fmt: skip
            else:
                draw.text((x0 + rule + 3, y0 + rule + 1), CELL_LABELS[name], fill=0, font=label)
    # The outer frame of the signature table, heavier.
    top = _px(form.lines_top, dpi)
    bottom = _px(form.lines_top + form.lines_per_page * form.pitch, dpi)
    draw.rectangle((left, top, right, bottom), outline=0, width=rule * 2)
    return np.array(page)


def _ink_field(shape: tuple[int, int], rng: np.random.Generator, low: float) -> np.ndarray:
    """A smooth field of ink darkness (1 = full ink, `low` = the lightest): pen pressure."""
    h, w = shape
    coarse = rng.uniform(low, 1.0, (max(2, h // 24), max(2, w // 24))).astype(np.float32)
    return cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def _write(
    canvas: np.ndarray,
    text: str,
    box: tuple[int, int, int, int],
    font_path: str,
    rng: np.random.Generator,
    *,
    scale: float = 0.62,
    ink: int = 30,
    squeeze: float = 1.0,
) -> None:
    """Write text in a hand into box (pixels) of canvas (in place): darker where the pen pressed
    harder, a thicker or thinner stroke, a slant and a wandering baseline."""
    if not text:
        return
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    size = max(6, round(bh * scale * rng.uniform(0.85, 1.1)))
    font = _font(font_path, size)
    while size > 6 and font.getlength(text) * squeeze > bw * 0.94:
        size -= 1
        font = _font(font_path, size)
    left, top, right, bottom = font.getbbox(text)
    pad = 6
    mask = Image.new("L", (int(right - left) + 2 * pad, int(bottom - top) + 2 * pad), 0)
    stroke = int(rng.integers(0, 2)) if size > 14 else 0
    ImageDraw.Draw(mask).text(
        (pad - left, pad - top), text, fill=255, font=font, stroke_width=stroke, stroke_fill=255
    )
    glyphs = np.array(mask)
    if squeeze != 1.0:
        glyphs = cv2.resize(glyphs, (max(1, round(glyphs.shape[1] * squeeze)), glyphs.shape[0]))
    angle = float(rng.uniform(-2.5, 2.5))
    h, w = glyphs.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    glyphs = cv2.warpAffine(glyphs, turn, (w, h))
    if rng.random() < 0.3:  # a thin pen, or a worn one
        glyphs = cv2.erode(glyphs, np.ones((2, 2), np.uint8))
    alpha = glyphs.astype(np.float32) / 255.0 * _ink_field(glyphs.shape, rng, 0.45)
    # Where it lands: from the cell's left, on the lower part of the cell (under its label).
    gx = x0 + int(rng.integers(4, max(5, bw - w))) if w < bw - 4 else x0
    gy = y0 + max(0, bh - h - int(rng.integers(0, max(1, bh // 8))))
    gh, gw = min(h, canvas.shape[0] - gy), min(w, canvas.shape[1] - gx)
    if gh <= 0 or gw <= 0:
        return
    region = canvas[gy : gy + gh, gx : gx + gw].astype(np.float32)
    a = alpha[:gh, :gw]
    canvas[gy : gy + gh, gx : gx + gw] = (region * (1 - a) + ink * a).astype(np.uint8)


def _scribble(
    canvas: np.ndarray, box: tuple[int, int, int, int], rng: np.random.Generator, ink: int
) -> None:
    """A signature's flourish: a smoothed random pen path across the box."""
    x0, y0, x1, y1 = box
    steps = int(rng.integers(12, 30))
    xs = np.linspace(x0 + 0.1 * (x1 - x0), x0 + rng.uniform(0.5, 0.9) * (x1 - x0), steps)
    mid = y0 + 0.65 * (y1 - y0)
    ys = mid + np.cumsum(rng.normal(0, (y1 - y0) * 0.12, steps))
    ys = np.clip(ys, y0 + 0.3 * (y1 - y0), y1 - 3)
    points = np.stack([xs, ys], axis=1).astype(np.int32)
    cv2.polylines(canvas, [points], False, ink, max(1, (y1 - y0) // 18), cv2.LINE_AA)


def _cross_out(
    canvas: np.ndarray, box: tuple[int, int, int, int], rng: np.random.Generator, ink: int
) -> None:
    x0, y0, x1, y1 = box
    thickness = max(2, (y1 - y0) // 16)
    ya, yb = y0 + (y1 - y0) * rng.uniform(0.3, 0.7), y0 + (y1 - y0) * rng.uniform(0.3, 0.7)
    cv2.line(canvas, (x0 + 10, int(ya)), (x1 - 10, int(yb)), ink, thickness, cv2.LINE_AA)
    if rng.random() < 0.5:
        cv2.line(canvas, (x0 + 10, y1 - 5), (x1 - 10, y0 + 5), ink, thickness, cv2.LINE_AA)


def plain(text: str) -> str:
    """The text without accents (JOSÉ -> JOSE)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Signers:
    """Who writes the lines: voters of a generated roll (the same roll_size and roll_seed as
    generate_voter_roll's, so lines match voters of that roll), written as people write them."""

    def __init__(self, rng: random.Random, roll_size: int, roll_seed: int) -> None:
        self.writer = Writer(county_tables(), rng)
        self.rng = rng
        self.voters = list(iter_voters(roll_size, roll_seed))
        if not self.voters:
            raise ValueError("the roll has no voters to sign")

    def next(self) -> tuple[str, str, str, str, str]:
        """(printed name, residence address, city, zip, voter id) of a voter of the roll, as
        written: without accents (the handwriting fonts lack them, and many hands leave them
        off), so the truth is what the page shows."""
        rec = dict(
            zip(ROLL_HEADER, self.voters[int(self.rng.random() * len(self.voters))], strict=True)
        )
        w = self.writer
        w.new_line()
        name = w.name(
            rec["first_name"], rec["middle_name"], rec["last_name"], rec["name_suffix"], False
        )
        address = w.address(rec, False)
        city, zip_code = w.city_zip(rec["city"], rec["zip"], False)
        return plain(name), plain(address), plain(city), zip_code, rec["voter_id"]


def fill_page(
    form_image: np.ndarray,
    form: FormLayout,
    dpi: int,
    first_number: int,
    signers: Signers,
    rng: np.random.Generator,
    *,
    blank_share: float = BLANK_SHARE,
    crossed_share: float = CROSSED_SHARE,
) -> tuple[np.ndarray, list[LineTruth]]:
    """The form filled in by hand, a different hand per line; and what each line says."""
    page = form_image.copy()
    fonts = hand_fonts()
    truths = []
    for index in range(form.lines_per_page):
        number = first_number + index
        r = rng.random()
        if r < blank_share:
            truths.append(LineTruth(number, "blank"))
            continue
        name, address, city, zip_code, voter_id = signers.next()
        font = fonts[int(rng.integers(len(fonts)))]
        ink = int(rng.integers(10, 90))

        def cell(name_: str, i: int = index) -> tuple[int, int, int, int]:
            x0, y0, x1, y1 = form.cell(i, name_)
            return _px(x0, dpi), _px(y0, dpi), _px(x1, dpi), _px(y1, dpi)

        _write(page, name, cell("name"), font, rng, ink=ink)
        _write(page, address, cell("address"), font, rng, ink=ink)
        _write(page, city, cell("city"), font, rng, ink=ink)
        _write(page, zip_code, cell("zip"), font, rng, ink=ink)
        surname = name.split()[-1] if name.split() else "X"
        _write(page, surname.capitalize(), cell("signature"), font, rng, ink=ink, squeeze=0.7)
        _scribble(page, cell("signature"), rng, ink)
        status = "filled"
        if r < blank_share + crossed_share:
            status = "crossed_out"
            x0, y0, _, _ = cell("name")
            _, _, x1, y1 = cell("zip")
            _cross_out(page, (x0, y0, x1, y1), rng, ink)
        truths.append(
            LineTruth(
                number, status, name, address, city, zip_code, True, voter_id, Path(font).name
            )
        )
    return page, truths


def _lighting(shape: tuple[int, int], rng: np.random.Generator, strength: float) -> np.ndarray:
    """Uneven light: a gradient across the page and a soft falloff to the corners (computed
    small, then stretched: light varies slowly)."""
    h, w = shape
    sh, sw = max(2, h // 16), max(2, w // 16)
    ys, xs = np.mgrid[0:sh, 0:sw].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xs / sw - 0.5) * math.cos(angle) + (ys / sh - 0.5) * math.sin(angle)
    corners = ((xs / sw - 0.5) ** 2 + (ys / sh - 0.5) ** 2) * 2
    small = (1.0 - strength * (0.5 + ramp) * 0.7 - strength * corners * 0.5).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _inside(
    transform: np.ndarray, rect: tuple[float, float, float, float], size: tuple[int, int]
) -> bool:
    left, top, right, bottom = rect
    corners = _f32([[[left, top]], [[right, top]], [[right, bottom]], [[left, bottom]]])
    mapped = cv2.perspectiveTransform(corners, transform)[:, 0]
    margin = 0.005 * size[0]
    return bool(
        mapped[:, 0].min() > margin and mapped[:, 1].min() > margin
        and mapped[:, 0].max() < size[0] - margin and mapped[:, 1].max() < size[1] - margin
    )  # fmt: skip


def distort(
    clean: np.ndarray,
    kind: str,
    rng: np.random.Generator,
    table: tuple[float, float, float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """The page as a flatbed ("flatbed") or a phone ("phone") would take it, or untouched
    ("clean"): (image, 3x3 transform from the clean page to it, what was done). table: the
    ruled table's rectangle in pixels, kept inside a flatbed's scan."""
    h, w = clean.shape
    if table is None:
        table = (0.0, 0.0, float(w), float(h))
    if kind == "clean":
        return clean.copy(), np.eye(3), {"kind": "clean"}
    angle = float(rng.uniform(-5, 5))
    scale = float(rng.uniform(0.97, 1.03))
    if kind == "flatbed":
        # The sheet lies on the glass turned and shifted, its ruled table inside the scan (a
        # table cut off is another case: tests cut it themselves).
        for _ in range(50):
            dx, dy = (float(v) for v in rng.uniform(-0.03, 0.03, 2) * (w, h))
            turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
            turn[:, 2] += np.array([dx, dy])
            transform = np.vstack([turn, [0, 0, 1]])
            if _inside(transform, table, (w, h)):
                break
            angle *= 0.9
        out_size = (w, h)
        background = 255
        corners_moved = 0.0
    elif kind == "phone":
        # The page seen from a little off square, on a table: its corners moved up to 4% of the
        # page, turned, in a frame 12 to 25% larger than the page.
        border = float(rng.uniform(0.12, 0.25))
        out_w, out_h = round(w * (1 + border)), round(h * (1 + border))
        src = _f32([[0, 0], [w, 0], [w, h], [0, h]])
        corners_moved = 0.04
        jitter = rng.uniform(-corners_moved, corners_moved, (4, 2)) * (w, h)
        centre = np.array([out_w / 2, out_h / 2])
        theta = math.radians(angle)
        rot = np.array([[math.cos(theta), math.sin(theta)], [-math.sin(theta), math.cos(theta)]])
        dst = ((src - (w / 2, h / 2)) * scale + jitter) @ rot.T + centre
        dst += rng.uniform(-0.03, 0.03, 2) * (w, h)
        transform = cv2.getPerspectiveTransform(src, dst.astype(np.float32)).astype(np.float64)
        out_size = (out_w, out_h)
        background = int(rng.integers(40, 150))
        dx, dy = float(dst[0, 0]), float(dst[0, 1])
    else:
        raise ValueError(f"unknown distortion {kind!r}: clean, flatbed or phone")
    if kind == "phone":
        backdrop = np.full((out_size[1], out_size[0]), background, np.float32)
        backdrop += cv2.resize(
            rng.normal(0, 12, (out_size[1] // 16 + 1, out_size[0] // 16 + 1)).astype(np.float32),
            out_size,
        )
        sheet = cv2.warpPerspective(
            np.ones_like(clean, np.float32), transform, out_size, flags=cv2.INTER_LINEAR
        )
        paper = cv2.warpPerspective(
            clean, transform, out_size, flags=cv2.INTER_LINEAR, borderValue=255
        ).astype(np.float32)
        image: np.ndarray = paper * sheet + backdrop * (1 - sheet)
    else:
        image = cv2.warpPerspective(
            clean, transform, out_size, flags=cv2.INTER_LINEAR, borderValue=background
        ).astype(np.float32)
    light = float(rng.uniform(0.05, 0.2) if kind == "flatbed" else rng.uniform(0.15, 0.4))
    image *= _lighting(image.shape[:2], rng, light)
    blur = float(rng.uniform(0.0, 1.0) if kind == "flatbed" else rng.uniform(0.4, 1.4))
    if blur > 0.3:
        image = cv2.GaussianBlur(image, (0, 0), blur)
    sigma = float(rng.uniform(2, 8))
    image += rng.standard_normal(image.shape, dtype=np.float32) * sigma
    if kind == "flatbed":  # dust on the glass
        for _ in range(int(rng.integers(0, 25))):
            x, y = int(rng.integers(0, out_size[0])), int(rng.integers(0, out_size[1]))
            cv2.circle(image, (x, y), int(rng.integers(1, 3)), float(rng.integers(0, 120)), -1)
    quality = int(rng.integers(55, 90))
    grey_page = image.clip(0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", grey_page, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:  # pragma: no cover
        raise ValueError("could not encode the page")
    grey: Any = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    return (
        grey,
        transform,
        {
            "kind": kind,
            "angle": round(angle, 3),
            "scale": round(scale, 4),
            "shift": [round(dx, 1), round(dy, 1)],
            "perspective": corners_moved,
            "lighting": round(light, 3),
            "blur": round(blur, 3),
            "noise": round(sigma, 2),
            "jpeg_quality": quality,
            "size": list(out_size),
        },
    )


def make_section(
    serial: int,
    pages: int,
    seed: int = 0,
    *,
    dpi: int = 150,
    kinds: Sequence[str] | str = "mixed",
    form: FormLayout = STATE_FORM,
    roll_size: int = 5000,
    roll_seed: int = 0,
    signers: Signers | None = None,
    blank_share: float = BLANK_SHARE,
    crossed_share: float = CROSSED_SHARE,
) -> list[SyntheticPage]:
    """A section's pages, scanned. kinds: one per page ("clean", "flatbed", "phone"), or one
    word for all, or "mixed" (flatbed or phone at random). Lines are numbered on from page to
    page. Deterministic from (serial, seed)."""
    rng = np.random.default_rng([seed, serial])
    if signers is None:
        signers = Signers(random.Random(f"scans:{seed}:{serial}"), roll_size, roll_seed)  # noqa: S311
    out = []
    for page_number in range(1, pages + 1):
        if isinstance(kinds, str):
            kind = kinds
            if kind == "mixed":
                kind = "phone" if rng.random() < PHONE_SHARE else "flatbed"
        else:
            kind = kinds[page_number - 1]
        first = (page_number - 1) * form.lines_per_page + 1
        blank = render_form(form, dpi, first, serial if page_number == 1 else None)
        clean, lines = fill_page(
            blank, form, dpi, first, signers, rng,
            blank_share=blank_share, crossed_share=crossed_share,
        )  # fmt: skip
        table = (
            form.left * dpi, form.lines_top * dpi, form.right * dpi,
            (form.lines_top + form.lines_per_page * form.pitch) * dpi,
        )  # fmt: skip
        image, transform, distortion = distort(clean, kind, rng, table)
        out.append(
            SyntheticPage(serial, page_number, image, clean, lines, distortion, transform,
                          int(distortion.get("jpeg_quality", 90)))
        )  # fmt: skip
    return out


def reference_page(dpi: int = 150, seed: int = 0, form: FormLayout = STATE_FORM) -> np.ndarray:
    """A sample page as the organizer marks it: a filled page of the form, straight and clean
    (its handwriting differs from every other page's)."""
    return make_section(0, 1, seed, dpi=dpi, kinds="clean", form=form, roll_size=500)[0].clean


def pdf_bytes(pages: Sequence[SyntheticPage]) -> bytes:
    """The pages as one PDF (JPEG-compressed pages, as a scanner's PDF holds them)."""
    images = [Image.fromarray(page.image) for page in pages]
    buffer = io.BytesIO()
    images[0].save(
        buffer, "PDF", save_all=True, append_images=images[1:], resolution=150.0, quality=85
    )
    return buffer.getvalue()


# Pages that must not be cut: what an upload of the wrong thing looks like.
def blank_page(dpi: int = 150, seed: int = 0) -> np.ndarray:
    """A blank sheet, scanned (a little noise, a little shade)."""
    rng = np.random.default_rng(seed)
    page: np.ndarray = np.full((_px(11, dpi), _px(8.5, dpi)), 245, np.float32)
    page += rng.standard_normal(page.shape, dtype=np.float32) * 4
    return page.clip(0, 255).astype(np.uint8)


def random_photo(dpi: int = 150, seed: int = 0) -> np.ndarray:
    """A photo of something else: blobs, edges and texture, nothing like a form."""
    rng = np.random.default_rng(seed)
    h, w = _px(11, dpi), _px(8.5, dpi)
    photo: Any = cv2.resize(rng.uniform(0, 255, (12, 9)).astype(np.float32), (w, h))
    for _ in range(40):
        centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        cv2.circle(photo, centre, int(rng.integers(10, 150)), float(rng.integers(0, 255)), -1)
    for _ in range(15):
        a = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        b = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        cv2.line(photo, a, b, float(rng.integers(0, 255)), int(rng.integers(1, 6)))
    photo += rng.standard_normal(photo.shape, dtype=np.float32) * 10
    return cv2.GaussianBlur(photo, (0, 0), 1.0).clip(0, 255).astype(np.uint8)


def upside_down(page: SyntheticPage) -> np.ndarray:
    return cv2.rotate(page.image, cv2.ROTATE_180)


def other_form_page(dpi: int = 150, seed: int = 0) -> np.ndarray:
    """A filled page of another form (a referendum's), scanned on a flatbed."""
    return make_section(1, 1, seed, dpi=dpi, kinds="flatbed", form=OTHER_FORM, roll_size=500)[
        0
    ].image


def layout_boxes(form: FormLayout = STATE_FORM) -> tuple[dict[str, float], dict[str, float]]:
    """The first and the last line's boxes (fractions of the page), as an organizer marks them."""
    return form.line_box(0), form.line_box(form.lines_per_page - 1)


def number_cell(form: FormLayout = STATE_FORM) -> tuple[float, float, float, float]:
    """Where a line's printed number lies inside the line's box, as fractions of the box: left,
    top, right, bottom (tests read the number back from a cut line image)."""
    left, top, right, bottom = form.line_rect(0)
    x0, y0, x1, y1 = form.cell(0, "number")
    return (
        (x0 - left) / (right - left),
        (y0 - top) / (bottom - top),
        (x1 - left) / (right - left),
        (y1 - top) / (bottom - top),
    )
