"""Run a Python script in this process and print its peak RSS (KiB) as the last stderr line.

python bench/peak_rss.py manage.py import_voters FILE
"""

import resource
import runpy
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.argv = sys.argv[1:]
    sys.path.insert(0, str(Path(sys.argv[0]).resolve().parent))
    try:
        runpy.run_path(sys.argv[0], run_name="__main__")
    finally:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"peak_rss_kib={peak}", file=sys.stderr, flush=True)
