"""The demo staff the development OpenID provider signs in (public, like every dev secret).

Two district staff of 扬州市广陵区 (321002), where the demo data lives, so that one can propose
and the other check (maker-checker), and a city-level checker of 扬州市 (3210) for amounts
above the district's limit.
"""

from __future__ import annotations

from dataclasses import dataclass

# One password for every demo account: the login page and `make run` print it.
DEMO_PASSWORD = "suxin-dev"


@dataclass(frozen=True)
class DemoStaff:
    username: str
    name: str  # 姓名, shown in the workbench
    district: str  # division code the staff member works in
    roles: tuple[str, ...] = ("hrss_staff",)
    title: str = ""

    @property
    def subject(self) -> str:
        """The token subject: stable, and what the services audit."""
        return f"staff:{self.username}"

    def claims(self) -> dict:
        return {
            "sub": self.subject,
            "name": self.name,
            "preferred_username": self.username,
            "roles": list(self.roles),
            "tenant": {"district": self.district},
        }


DEMO_STAFF: dict[str, DemoStaff] = {
    s.username: s
    for s in (
        DemoStaff("wangfang", "王芳", "321002", title="广陵区人社局 经办"),
        DemoStaff("liqiang", "李强", "321002", title="广陵区人社局 复核"),
        DemoStaff("zhaomin", "赵敏", "3210", title="扬州市人社局 复核"),
    )
}
