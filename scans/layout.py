"""A petition's page layout: where its numbered signature lines lie on a straightened page.

The organizer marks the first and the last line's box on one sample page and says how many lines
a page holds; every line's box between them follows by even spacing (the state's form prints its
lines at a fixed pitch). Boxes are fractions of the page's width and height (0..1), so they hold
for any scan resolution.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """A rectangle in fractions of the page: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    @classmethod
    def from_json(cls, data: dict[str, float]) -> "Box":
        return cls(float(data["x"]), float(data["y"]), float(data["w"]), float(data["h"]))

    def to_json(self) -> dict[str, float]:
        return {
            "x": round(self.x, 5),
            "y": round(self.y, 5),
            "w": round(self.w, 5),
            "h": round(self.h, 5),
        }

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in pixels of a page width x height, inside the page."""
        left = max(0, round(self.x * width))
        top = max(0, round(self.y * height))
        right = min(width, round((self.x + self.w) * width))
        bottom = min(height, round((self.y + self.h) * height))
        return left, top, right, bottom


def line_boxes(first: Box, last: Box, lines_per_page: int) -> list[Box]:
    """Every line's box on a page, first to last, evenly spaced between the two marked ones."""
    if lines_per_page < 1:
        raise ValueError("a page holds at least one line")
    if lines_per_page == 1:
        return [first]
    steps = lines_per_page - 1
    return [
        Box(
            first.x + (last.x - first.x) * i / steps,
            first.y + (last.y - first.y) * i / steps,
            first.w + (last.w - first.w) * i / steps,
            first.h + (last.h - first.h) * i / steps,
        )
        for i in range(lines_per_page)
    ]


def line_number(page_number: int, index: int, lines_per_page: int) -> int:
    """The section's line number of a page's index-th line (both from 1 and 0): a section's
    lines are numbered on from page to page."""
    return (page_number - 1) * lines_per_page + index + 1
