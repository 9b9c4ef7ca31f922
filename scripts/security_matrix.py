"""Write (or check) the authorization matrix in docs/security.md, derived from the code.

.venv/bin/python scripts/security_matrix.py          # rewrite the generated section
.venv/bin/python scripts/security_matrix.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from suxin_common.security.matrix import current_matrix, replace_generated

DOC = Path(__file__).resolve().parent.parent / "docs" / "security.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the doc is stale")
    args = parser.parse_args()
    document = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Security\n"
    fresh = replace_generated(document, current_matrix())
    if args.check:
        if fresh != document:
            print(f"{DOC} is stale: run scripts/security_matrix.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(fresh, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
