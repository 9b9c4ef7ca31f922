"""The dashboard page's own files (scripts, styles, plotly's bundle), served without a CDN."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"


class DashboardAssets:
    """The page's assets by name, each read from disk once, on its first request (create_app
    builds one for the app's deps)."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[Path, str]] = {
            "dashboard.js": (STATIC / "dashboard.js", "text/javascript"),
            "dashboard.css": (STATIC / "dashboard.css", "text/css"),
            # plotly's own bundle, from the installed package: no CDN, no internet.
            "plotly.min.js": (
                Path(str(resources.files("plotly") / "package_data" / "plotly.min.js")),
                "text/javascript",
            ),
        }
        self._read: dict[str, bytes] = {}

    def get(self, name: str) -> tuple[bytes, str] | None:
        """The asset's bytes and media type; None for a name that is not one."""
        found = self._files.get(name)
        if found is None:
            return None
        path, media_type = found
        if name not in self._read:
            self._read[name] = path.read_bytes()
        return self._read[name], media_type
