"""Scans: pages straightened and cut per second, the next line's image over HTTP, storage.

    python bench/bench_scans.py [--pages 200] [--dpi 200] [--workers 2] [--requests 300]

Generates N synthetic scanned pages (devtools/synthetic/scans.py: the state's form filled in by
hand, as flatbed scans and phone photos, cached in bench/out), stores them as a petition's
sections in the benchmark database, and has N worker processes run scans.processing.process_page
on them (decode, align to the layout's sample page, warp and cut ten lines, JPEG-encode them,
write the files and the LineImage rows): pages/s. Then a real server (gunicorn, production
settings) serves the cut line images to a logged-in volunteer the section is assigned to, one
after another as the entry row asks for the next: p95 ms. Last, the storage per page and per line
image, and for a 700,000-line filing (70,000 pages of ten lines).

Targets (issue 19): >= 5 pages/s on 2 cores; the next line's image under 100 ms at p95.
"""

import argparse
import http.cookiejar
import json
import multiprocessing
import os
import re
import secrets
import shutil
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    OUT,
    free_port,
    generator_key,
    percentile,
    prepare_database,
    server_env,
    start_server,
    use_redis_db,
)

SLUG = "bench-scans"
PAGES_PER_SECTION = 10
FILING_LINES = 700_000
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _generate_section(job: tuple[int, int, int, int, Path]) -> list[dict]:
    from devtools.synthetic import scans as synthetic

    serial, pages, seed, dpi, folder = job
    truths = []
    for page in synthetic.make_section(serial, pages, seed, dpi=dpi, roll_size=5000):
        (folder / f"{serial:05d}-{page.page_number:02d}.jpg").write_bytes(page.jpeg())
        truths.append(page.truth())
    return truths


def synthetic_pages(pages: int, dpi: int, seed: int, workers: int) -> Path:
    """The generated pages as JPEG files and their truth, cached in bench/out by size, seed and
    generator key."""
    from devtools.synthetic import scans as synthetic

    folder = OUT / f"scans-{pages}-{dpi}-{seed}-{generator_key()}"
    if (folder / "truth.json").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for start in range(0, pages, PAGES_PER_SECTION):
        serial = 1 + start // PAGES_PER_SECTION
        jobs.append((serial, min(PAGES_PER_SECTION, pages - start), seed, dpi, folder))
    began = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        truths = [t for section in pool.map(_generate_section, jobs) for t in section]
    reference = synthetic.reference_page(dpi=dpi, seed=seed)
    import cv2

    cv2.imwrite(str(folder / "reference.png"), reference)
    (folder / "truth.json").write_text(json.dumps(truths))
    print(f"generated {pages} pages in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    return folder


def setup_django(scans_dir: Path) -> None:
    from bench.common import bench_database_url

    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ["SCANS_DIR"] = str(scans_dir)
    os.environ.setdefault("DEBUG", "true")
    # The app's settings, even under pytest (its test settings put the scans elsewhere and hash
    # passwords in a way the server, on the app's settings, would refuse).
    os.environ["DJANGO_SETTINGS_MODULE"] = "recall.settings"
    import django

    django.setup()


def load(folder: Path, password: str):
    """The petition, its sections and stored pages, the layout; a volunteer they are assigned
    to. Returns (page ids, the volunteer's username)."""
    import hashlib
    from datetime import date

    from django.core.files.base import ContentFile

    from devtools.synthetic import scans as synthetic
    from petitions.models import Petition, Section
    from petitions.services import petition_create
    from recall.roles import VOLUNTEER
    from recall.services import user_create_with_role
    from scans.models import LineImage, ScanLayout, ScanPage, scans_storage

    # The last run's rows (its files went with bench/out/scans-store): sections are protected
    # from a petition's deletion, so scans, sections, then the petition.
    LineImage.objects.filter(section__petition__slug=SLUG).delete()
    ScanPage.objects.filter(petition__slug=SLUG).delete()
    ScanLayout.objects.filter(petition__slug=SLUG).delete()
    Section.objects.filter(petition__slug=SLUG).delete()
    Petition.objects.filter(slug=SLUG).delete()
    petition = petition_create(
        title="Bench scans", slug=SLUG, required=1000, approved_on=date(2026, 9, 1)
    )
    from django.contrib.auth import get_user_model

    username = "bench-scans-volunteer"
    get_user_model().objects.filter(username=username).delete()
    volunteer = user_create_with_role(username=username, password=password, role=VOLUNTEER)
    storage = scans_storage()
    reference = (folder / "reference.png").read_bytes()
    first, last = synthetic.layout_boxes()
    ScanLayout.objects.create(
        petition=petition, first_box=first, last_box=last, lines_per_page=10,
        reference=storage.save(f"layouts/{petition.pk}/reference.png", ContentFile(reference)),
    )  # fmt: skip
    sections: dict[int, Section] = {}
    ids = []
    for path in sorted(folder.glob("*.jpg")):
        serial, number = (int(part) for part in path.stem.split("-"))
        if serial not in sections:
            sections[serial] = Section.objects.create(
                petition=petition, serial=serial, assigned_to=volunteer
            )
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        ScanPage.objects.filter(sha256=sha).delete()
        page = ScanPage.objects.create(
            petition=petition, section=sections[serial], page_number=number, sha256=sha,
            image=storage.save(f"pages/{petition.pk}/{sha}.jpg", ContentFile(data)),
            width=0, height=0, bytes=len(data), status=ScanPage.Status.QUEUED,
        )  # fmt: skip
        ids.append(page.pk)
    return ids, username


_reference = None


def _worker_start(scans_dir: str) -> None:
    import cv2
    from django.db import connections

    connections.close_all()  # the parent's connection is not this process's
    cv2.setNumThreads(1)  # one process a core: OpenCV's own threads would only contend


def _process(ids: list[int]) -> list[tuple[float, float]]:
    """process_page on each page: the seconds each took, wall and CPU (the CPU time says what
    a page costs when the machine is shared)."""
    global _reference
    from scans.models import ScanLayout, ScanPage
    from scans.processing import process_page, reference_image

    layout = ScanLayout.objects.get(petition__slug=SLUG)
    if _reference is None:
        _reference = reference_image(layout)
    times = []
    for page in ScanPage.objects.filter(pk__in=ids).order_by("pk"):
        began, cpu = time.perf_counter(), time.process_time()
        process_page(page, layout, _reference)
        times.append((time.perf_counter() - began, time.process_time() - cpu))
    return times


def cut(ids: list[int], workers: int) -> tuple[float, list[tuple[float, float]]]:
    from django.db import connections

    connections.close_all()
    chunks = [ids[i::workers] for i in range(workers)]
    # Small jobs so both processes stay busy to the end.
    jobs = [chunk[i : i + 5] for chunk in chunks for i in range(0, len(chunk), 5)]
    ctx = multiprocessing.get_context("fork")
    began = time.perf_counter()
    # An executor, not a Pool: a worker that dies fails the run instead of hanging it.
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_worker_start, initargs=("",)
    ) as pool:
        times = [t for part in pool.map(_process, jobs) for t in part]
    return time.perf_counter() - began, times


def fetch_lines(port: int, username: str, password: str, pks: list[int]) -> list[float]:
    """Log in as the volunteer, then GET each line image in turn: milliseconds each."""
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    base = f"http://127.0.0.1:{port}"
    with opener.open(f"{base}/accounts/login/", timeout=10) as response:
        token = CSRF_FIELD.search(response.read().decode())
    if not token:
        sys.exit("no CSRF field on the login page")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - http to the server this started
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    try:
        opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise
    if not any(cookie.name == "sessionid" for cookie in jar):
        sys.exit(f"the login of {username} was refused")
    times = []
    for pk in pks:
        began = time.perf_counter()
        with opener.open(f"{base}/scans/lines/{pk}.jpg", timeout=10) as response:
            body = response.read()
            if response.status != 200 or not body.startswith(b"\xff\xd8"):
                sys.exit(f"line image {pk}: HTTP {response.status}, not a JPEG")
        times.append((time.perf_counter() - began) * 1000)
    return times


def size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000
    return ""  # pragma: no cover


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--dpi", type=int, default=200, help="scan resolution (letter size)")
    parser.add_argument("--workers", type=int, default=2, help="processes cutting pages")
    parser.add_argument("--requests", type=int, default=300, help="line images fetched")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    prepare_database()
    redis = use_redis_db("bench-scans")
    scans_dir = OUT / "scans-store"
    shutil.rmtree(scans_dir, ignore_errors=True)
    folder = synthetic_pages(args.pages, args.dpi, args.seed, args.workers)
    setup_django(scans_dir)
    from django.db.models import Count, Sum

    from scans.models import LineImage, ScanPage

    password = secrets.token_urlsafe(16)
    ids, username = load(folder, password)
    seconds, times = cut(ids, args.workers)
    wall, cpu = [t[0] for t in times], [t[1] for t in times]
    load_average = os.getloadavg()[0]
    idle_rate = args.workers / (sum(cpu) / len(cpu))
    pages = ScanPage.objects.filter(petition__slug=SLUG)
    cut_pages = pages.filter(status=ScanPage.Status.CUT).count()
    flagged = list(pages.filter(status=ScanPage.Status.FLAGGED).values_list("problem", flat=True))
    lines = LineImage.objects.filter(section__petition__slug=SLUG)
    line_count = lines.count()
    line_bytes = lines.aggregate(total=Sum("bytes"))["total"] or 0
    page_bytes = pages.aggregate(total=Sum("bytes"))["total"] or 0
    per_section = pages.values("section").annotate(n=Count("id")).count()

    port = free_port()
    env = server_env(redis, SCANS_DIR=str(scans_dir))
    server = start_server(port, OUT / "bench-scans-access.log", env, workers=2)
    try:
        pks = list(lines.order_by("section__serial", "number").values_list("pk", flat=True))
        pks = (pks * (1 + args.requests // max(1, len(pks))))[: args.requests]
        fetch_lines(port, username, password, pks[:10])  # warm the workers
        millis = fetch_lines(port, username, password, pks)
    finally:
        server.terminate()
        server.wait(timeout=30)

    per_page = page_bytes / max(1, len(ids))
    per_line = line_bytes / max(1, line_count)
    filing_pages = FILING_LINES // 10
    rows = [
        ("pages", f"{len(ids)} in {per_section} sections, {args.dpi} dpi, {folder.name}"),
        ("machine", f"{os.cpu_count()} cores, load average {load_average:.1f} after cutting"),
        ("cut / flagged", f"{cut_pages} / {len(flagged)}"),
        (
            "straightened and cut",
            f"{len(ids) / seconds:.1f} pages/s with {args.workers} processes (target >= 5)",
        ),
        (
            "per page, one process",
            f"wall p50 {percentile(wall, 50) * 1000:.0f} ms, "
            f"p95 {percentile(wall, 95) * 1000:.0f} ms; "
            f"CPU p50 {percentile(cpu, 50) * 1000:.0f} ms (so {idle_rate:.1f} pages/s on "
            f"{args.workers} idle cores)",
        ),
        (
            "next line image, HTTP",
            f"p50 {percentile(millis, 50):.1f} ms, "
            f"p95 {percentile(millis, 95):.1f} ms over {len(millis)} GETs (target < 100)",
        ),
        ("storage per page", f"{size(per_page)} (the page as scanned, JPEG)"),
        ("storage per line image", f"{size(per_line)} ({line_count} lines)"),
        (
            f"a {FILING_LINES:,}-line filing",
            f"{filing_pages:,} pages: {size(per_page * filing_pages)}"
            f" of pages + {size(per_line * FILING_LINES)} of line images = "
            f"{size(per_page * filing_pages + per_line * FILING_LINES)}",
        ),
        ("its cutting time", f"{filing_pages / (len(ids) / seconds) / 3600:.1f} h at this rate"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"| {'scans'.ljust(width)} | figure |")
    print(f"|{'-' * (width + 2)}|--------|")
    for label, value in rows:
        print(f"| {label.ljust(width)} | {value} |")
    for problem in sorted(set(flagged)):
        print(f"flagged: {flagged.count(problem)} x {problem}")


if __name__ == "__main__":
    main()
