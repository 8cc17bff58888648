"""Synthetic scans of petition sections, as files import_scans reads: one PDF per section named by
its serial (or one JPEG per page with --images), and truth.json (what each line says, how each
page was distorted)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.synthetic import scans as synthetic


class Command(BaseCommand):
    help = "Write synthetic scanned sections (PDF or JPEG files named by section serial)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="folder to write into (created)")
        parser.add_argument("--pages", type=int, default=3, help="pages in all")
        parser.add_argument("--pages-per-section", type=int, default=3)
        parser.add_argument("--first-serial", type=int, default=1)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--dpi", type=int, default=200)
        parser.add_argument(
            "--kind", default="mixed", choices=["mixed", "flatbed", "phone", "clean"]
        )
        parser.add_argument("--images", action="store_true", help="JPEG pages, not a PDF")
        parser.add_argument("--roll-size", type=int, default=5000, help="generated roll's voters")
        parser.add_argument("--roll-seed", type=int, default=0, help="generated roll's seed")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["pages"] < 1 or options["pages_per_section"] < 1:
            raise CommandError("--pages and --pages-per-section must be at least 1")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        truth: list[dict[str, Any]] = []
        left, serial = options["pages"], options["first_serial"]
        while left > 0:
            count = min(left, options["pages_per_section"])
            pages = synthetic.make_section(
                serial, count, options["seed"], dpi=options["dpi"], kinds=options["kind"],
                roll_size=options["roll_size"], roll_seed=options["roll_seed"],
            )  # fmt: skip
            if options["images"]:
                for page in pages:
                    (out / f"{serial}-{page.page_number}.jpg").write_bytes(page.jpeg())
            else:
                (out / f"{serial}.pdf").write_bytes(synthetic.pdf_bytes(pages))
            truth.extend(page.truth() for page in pages)
            left -= count
            serial += 1
        reference = synthetic.reference_page(dpi=options["dpi"], seed=options["seed"])
        import cv2

        cv2.imwrite(str(out / "sample-page.png"), reference)
        first, last = synthetic.layout_boxes()
        (out / "truth.json").write_text(
            json.dumps({"layout": {"first_box": first, "last_box": last, "lines_per_page": 10},
                        "pages": truth}, indent=1)
        )  # fmt: skip
        sections = serial - options["first_serial"]
        self.stdout.write(f"{options['pages']} pages in {sections} "
                          f"section{'s' if sections != 1 else ''} written to {out}")  # fmt: skip
