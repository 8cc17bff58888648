"""What the organizer reads about a petition's scans: counts, the pages that need a person, and
each scanned section's pages with what became of them."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from petitions.models import Petition, Section
from scans.models import LineImage, ScanLayout, ScanPage

SECTIONS_PER_PAGE = 25
FLAGGED_SHOWN = 200
SAMPLE_CHOICES = 50


@dataclass
class ScanCounts:
    pages: int = 0
    waiting: int = 0
    queued: int = 0
    cut: int = 0
    flagged: int = 0
    lines: int = 0


@dataclass
class SectionScans:
    section: Section
    pages: list[ScanPage] = field(default_factory=list)


def scan_counts(petition: Petition) -> ScanCounts:
    """The petition's pages by status and its line images, in two aggregate queries."""
    Status = ScanPage.Status
    totals = ScanPage.objects.filter(petition=petition).aggregate(
        pages=Count("pk"),
        waiting=Count("pk", filter=Q(status=Status.WAITING_LAYOUT)),
        queued=Count("pk", filter=Q(status=Status.QUEUED)),
        cut=Count("pk", filter=Q(status=Status.CUT)),
        flagged=Count("pk", filter=Q(status=Status.FLAGGED)),
    )
    lines = LineImage.objects.filter(page__petition=petition).count()
    return ScanCounts(**totals, lines=lines)


def flagged_pages(petition: Petition, limit: int = FLAGGED_SHOWN) -> list[ScanPage]:
    """The pages that need a person, section by section (the first `limit`)."""
    return list(
        ScanPage.objects.filter(petition=petition, status=ScanPage.Status.FLAGGED)
        .select_related("section")
        .order_by("section__serial", "page_number")[:limit]
    )


def scanned_sections(petition: Petition, number: str | int | None) -> tuple[Page, list]:
    """One page (of SECTIONS_PER_PAGE) of the petition's scanned sections, each with its pages
    in order and their line images counted."""
    sections = (
        Section.objects.filter(petition=petition, scan_pages__isnull=False)
        .distinct()
        .order_by("serial")
    )
    shown = Paginator(sections, SECTIONS_PER_PAGE).get_page(number)
    by_section = {section.pk: SectionScans(section) for section in shown.object_list}
    pages = (
        ScanPage.objects.filter(section_id__in=list(by_section))
        .annotate(lines=Count("line_images"))
        .order_by("section_id", "page_number")
    )
    for page in pages:
        by_section[page.section_id].pages.append(page)
    return shown, list(by_section.values())


def petition_layout(petition: Petition) -> ScanLayout | None:
    return ScanLayout.objects.filter(petition=petition).select_related("sample_page").first()


def default_sample(petition: Petition) -> ScanPage | None:
    """The page to mark the layout on when none is chosen: the current layout's sample, else the
    petition's first page that is cut or waiting for the layout."""
    layout = petition_layout(petition)
    if layout and layout.sample_page:
        return layout.sample_page
    return (
        ScanPage.objects.filter(
            petition=petition, status__in=[ScanPage.Status.CUT, ScanPage.Status.WAITING_LAYOUT]
        )
        .select_related("section")
        .order_by("section__serial", "page_number")
        .first()
    )


def sample_choices(petition: Petition, current: ScanPage | None) -> list[ScanPage]:
    """Pages to offer as the sample: the first SAMPLE_CHOICES that are not flagged (a page
    that could not be aligned is a poor reference), and the current one."""
    pages = list(
        ScanPage.objects.filter(petition=petition)
        .exclude(status=ScanPage.Status.FLAGGED)
        .select_related("section")
        .order_by("section__serial", "page_number")[:SAMPLE_CHOICES]
    )
    if current is not None and current not in pages:
        pages.insert(0, current)
    return pages
