"""The organizer's forms on scans: a page's first and last line boxes in percent of the page (what
the marking widget fills in, and what a keyboard user types), and how many lines a page holds."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scans.layout import Box, line_boxes

# (field suffix, label): the four numbers of a box, in percent of the page.
BOX_PARTS = (
    ("left", gettext_lazy("Left")),
    ("top", gettext_lazy("Top")),
    ("width", gettext_lazy("Width")),
    ("height", gettext_lazy("Height")),
)
BOXES = (("first", gettext_lazy("First line")), ("last", gettext_lazy("Last line")))
MAX_LINES = 50
# Adjacent lines' boxes may overlap by at most this share of a box's height (a little, for
# handwriting that rises above its rule; more means the line count or the boxes are wrong).
MAX_OVERLAP = 0.5


def _percent_field(label: str) -> forms.FloatField:
    return forms.FloatField(
        label=label, min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100",
                                        "class": "form-control form-control-sm"}),
    )  # fmt: skip


class BoxesForm(forms.Form):
    """The first and the last line's box on a page, each as left, top, width and height in
    percent of the page, checked to lie inside the page with the last below the first."""

    def __init__(self, *args: Any, lines_per_page: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_lines = lines_per_page
        # Labelled by their part only: each box's four fields sit in a fieldset named by the box.
        for box, _box_label in BOXES:
            for part, part_label in BOX_PARTS:
                self.fields[f"{box}_{part}"] = _percent_field(f"{part_label} (%)")

    def lines(self) -> int:
        return self.fixed_lines

    def box(self, name: str) -> Box:
        data = self.cleaned_data
        return Box(data[f"{name}_left"] / 100, data[f"{name}_top"] / 100,
                   data[f"{name}_width"] / 100, data[f"{name}_height"] / 100)  # fmt: skip

    def field_groups(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """(box, its label, its four fields) for the template."""
        return [
            (box, str(label), [self[f"{box}_{part}"] for part, _label in BOX_PARTS])
            for box, label in BOXES
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = [f"{box}_{part}" for box, _b in BOXES for part, _p in BOX_PARTS]
        if any(data.get(name) is None for name in names):
            return data  # each missing or bad number has its own error already
        for box, label in BOXES:
            left, top = data[f"{box}_left"], data[f"{box}_top"]
            width, height = data[f"{box}_width"], data[f"{box}_height"]
            if width <= 0:
                self.add_error(f"{box}_width", _("%(box)s: the box has no width; drag across "
                                                 "the line or give a width above 0.")
                               % {"box": label})  # fmt: skip
            elif left + width > 100:
                self.add_error(f"{box}_width", _(
                    "%(box)s: the box runs past the page's right edge (left %(left)s + width "
                    "%(width)s is more than 100)."
                ) % {"box": label, "left": f"{left:g}", "width": f"{width:g}"})  # fmt: skip
            if height <= 0:
                self.add_error(f"{box}_height", _("%(box)s: the box has no height; drag down "
                                                  "the line or give a height above 0.")
                               % {"box": label})  # fmt: skip
            elif top + height > 100:
                self.add_error(f"{box}_height", _(
                    "%(box)s: the box runs past the page's bottom (top %(top)s + height "
                    "%(height)s is more than 100)."
                ) % {"box": label, "top": f"{top:g}", "height": f"{height:g}"})  # fmt: skip
        if self.errors or self.lines() < 2:
            return data
        first_bottom = data["first_top"] + data["first_height"]
        if data["last_top"] < first_bottom:
            self.add_error("last_top", _(
                "The last line's box must lie below the first line's: its top (%(top)s%%) is "
                "above the first box's bottom (%(bottom)s%%)."
            ) % {"top": f"{data['last_top']:g}", "bottom": f"{first_bottom:g}"})  # fmt: skip
            return data
        boxes = line_boxes(self.box("first"), self.box("last"), self.lines())
        pitch = boxes[1].y - boxes[0].y
        if pitch < min(boxes[0].h, boxes[-1].h) * (1 - MAX_OVERLAP):
            self.add_error("lines_per_page" if "lines_per_page" in self.fields else None, _(
                "With %(lines)s lines between these two boxes, each line's box would cover more "
                "than half of the next: check how many lines a page holds, or the boxes."
            ) % {"lines": self.lines()})  # fmt: skip
        return data


class LayoutForm(BoxesForm):
    """The petition's layout: the two boxes, how many lines a page holds, on which sample."""

    lines_per_page = forms.IntegerField(
        label=gettext_lazy("Lines on a page"), min_value=1, max_value=MAX_LINES, initial=10,
        help_text=gettext_lazy("How many signature lines one page of the form holds (1 to 50)."),
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": "1",
                                        "max": str(MAX_LINES)}),
    )  # fmt: skip
    sample = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def lines(self) -> int:
        return self.cleaned_data.get("lines_per_page") or 1


def boxes_initial(first: Box, last: Box) -> dict[str, float]:
    """A form's initial numbers (percent, one decimal) for two boxes in fractions."""
    initial = {}
    for name, box in (("first", first), ("last", last)):
        for part, value in zip(("left", "top", "width", "height"), (box.x, box.y, box.w, box.h),
                               strict=True):  # fmt: skip
            initial[f"{name}_{part}"] = round(value * 100, 1)
    return initial
