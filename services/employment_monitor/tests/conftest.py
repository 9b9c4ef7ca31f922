"""Employment-monitor tests: make the shared scenario module importable."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
