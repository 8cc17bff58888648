"""Reproducible synthetic Los Angeles County voter rolls and recall-petition lines.

Development tooling, not part of the application: the `devtools` app's management commands
(`generate_voter_roll`, `generate_signatures`, `load_demo`), the benchmarks and the tests use it;
production code never imports it (tests/devtools/test_independence.py). No Django here.

Everything is driven by `random.Random` instances seeded from the caller's seed, so the same seed
and sizes give byte-identical files. Nothing here is cryptographic; the random numbers only make
test data (ruff S311 is silenced where it fires).

Modules, in the order a file is made: county (the data files in data/, loaded once), tables (the
county's fixed layout: areas, streets, name weights), people (households), addresses, roll (the
voter roll, written in parallel chunks), noise (how people write names and addresses by hand),
signatures (petition lines drawn from a roll, with their true verdicts), files (gzip-aware I/O).
"""

from devtools.synthetic.roll import ROLL_HEADER, iter_voters, write_roll
from devtools.synthetic.signatures import SIGNATURES_HEADER, TRUTH_HEADER, write_signatures
from devtools.synthetic.tables import REFERENCE_DATE

__all__ = [
    "REFERENCE_DATE",
    "ROLL_HEADER",
    "SIGNATURES_HEADER",
    "TRUTH_HEADER",
    "iter_voters",
    "write_roll",
    "write_signatures",
]
