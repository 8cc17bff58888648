"""The synthetic scans generator: deterministic from its seed, lines written by voters of a
generated roll, blank and crossed-out lines, a readable multi-page PDF, the truth per page."""

import io
import json

import numpy as np
import pypdfium2

from devtools.synthetic import iter_voters
from devtools.synthetic import scans as synthetic


def _section(seed: int = 4):
    return synthetic.make_section(
        8, 2, seed, dpi=100, kinds=["flatbed", "phone"], roll_size=300, roll_seed=2,
        blank_share=0.2, crossed_share=0.2,
    )  # fmt: skip


def test_the_same_seed_makes_the_same_pages_and_another_seed_others():
    first, again, other = _section(), _section(), _section(seed=5)
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a.image, b.image)
        assert a.truth() == b.truth()
    assert not np.array_equal(first[0].image, other[0].image)


def test_lines_are_numbered_on_and_written_by_voters_of_the_roll():
    pages = _section()
    assert [line.number for page in pages for line in page.lines] == list(range(1, 21))
    voters = {row[0] for row in iter_voters(300, 2)}
    statuses = {line.status for page in pages for line in page.lines}
    assert statuses == {"filled", "blank", "crossed_out"}
    for line in (line for page in pages for line in page.lines):
        if line.status == "blank":
            assert line.printed_name == ""
            assert line.voter_id == ""
        else:
            assert line.voter_id in voters
            assert line.printed_name
            assert line.residence_address
            assert line.font


def test_each_page_says_how_it_was_distorted_and_where_it_went():
    flatbed, phone = _section()
    assert flatbed.distortion["kind"] == "flatbed"
    assert phone.distortion["kind"] == "phone"
    assert abs(flatbed.distortion["angle"]) <= 5
    assert flatbed.image.shape == flatbed.clean.shape
    assert phone.image.shape[0] > phone.clean.shape[0]  # the table round the sheet
    json.dumps(phone.truth())  # the truth is plain JSON
    assert np.array(phone.truth()["transform"]).shape == (3, 3)
    assert phone.jpeg()[:2] == b"\xff\xd8"
    assert phone.png()[:4] == b"\x89PNG"


def test_the_pages_make_one_pdf_of_as_many_pages():
    pages = _section()
    data = synthetic.pdf_bytes(pages)
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    assert len(document) == 2
    # Each page at its size: its pixels at 150 dpi, in points (the phone photo's size varies
    # with the fonts the sheet was drawn with, so no fixed figure).
    for page, pdf_page in zip(pages, document, strict=True):
        width, height = pdf_page.get_size()
        assert abs(width - page.image.shape[1] * 72 / 150) < 1
        assert abs(height - page.image.shape[0] * 72 / 150) < 1
    assert abs(document[1].render(scale=1).to_pil().size[0] - document[1].get_size()[0]) < 1


def test_make_scans_writes_a_pdf_per_section_and_the_truth(tmp_path):
    from django.core.management import call_command

    call_command("make_scans", str(tmp_path), "--pages", "3", "--pages-per-section", "2",
                 "--seed", "1", "--dpi", "100", "--roll-size", "200")  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "1.pdf",
        "2.pdf",
        "sample-page.png",
        "truth.json",
    ]
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert [(p["section"], p["page"]) for p in truth["pages"]] == [(1, 1), (1, 2), (2, 1)]
    assert len(pypdfium2.PdfDocument(tmp_path / "1.pdf")) == 2
