"""Run a Python script in this process and print its peak RSS (KiB) as the last stderr line.

python bench/peak_rss.py manage.py import_voters FILE
"""

import resource
import runpy
import sys
from pathlib import Path


def _peak_kib() -> int:
    """This process's own peak RSS: VmHWM, which starts afresh at exec. getrusage's ru_maxrss
    does not on Linux: a child keeps the high-water mark of the parent it was forked from (a
    benchmark that had grown to 1 GB reported 1 GB for every script it ran)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    sys.argv = sys.argv[1:]
    sys.path.insert(0, str(Path(sys.argv[0]).resolve().parent))
    try:
        runpy.run_path(sys.argv[0], run_name="__main__")
    finally:
        print(f"peak_rss_kib={_peak_kib()}", file=sys.stderr, flush=True)
