import sys
from pathlib import Path

# Run on their own (`make test-matching`), these tests import the package from the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
