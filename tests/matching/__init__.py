"""Tests of the matching package alone: no database, no Django.

Run on their own with `make test-matching`:
    pytest -p no:django --confcutdir tests/matching tests/matching
(--confcutdir keeps tests/conftest.py, which sets up Django, out.) `make test` runs them too.
"""
