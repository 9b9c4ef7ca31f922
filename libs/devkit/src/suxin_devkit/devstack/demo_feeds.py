"""A day of department feeds for the demo people and enterprises (部门数据比对), and the
example feed files under ``examples/feeds/`` (the same feeds on a fixed day).

Each feed is a batch file and its manifest, as the provincial sharing platform delivers them:
市场监管 registrations of the demo enterprises, 工信's 专精特新/小巨人 entries, 社保 enrolments
and last month's contributions of the demo hires, 学历, 技能等级, 职称, 民政, 乡村振兴,
退役军人 and 卫健 records of the demo seekers. The data agrees with what the demo declares,
so the declared facts get their authority source.

    python -m suxin_devkit.devstack.demo_feeds examples/feeds   # rewrite the examples
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from suxin_devkit.devstack import demo_data as d
from suxin_devkit.testing import make_resident_id

# The day the example files describe (their dates are relative to it).
EXAMPLE_DAY = date(2026, 12, 1)
EDUCATION_LEVEL = {
    "junior_secondary_or_below": 1,
    "senior_secondary": 2,
    "vocational": 3,
    "junior_college": 4,
    "bachelor": 5,
    "master": 6,
    "doctorate": 7,
}
SKILL_LEVEL = {
    "junior_worker": "初级工",
    "intermediate_worker": "中级工",
    "senior_worker": "高级工",
    "technician": "技师",
    "senior_technician": "高级技师",
}
TITLE = {"junior": "初级", "intermediate": "中级", "associate_senior": "副高级", "senior": "正高级"}
UNIT_TYPE = "企业"


@dataclass(frozen=True)
class Feed:
    name: str  # file stem, e.g. "20261201-social_insurance-si_enrolment"
    department: str
    feed: str
    period: str
    format: str
    mode: str
    data: bytes

    @property
    def rows(self) -> int:
        if self.format == "csv":
            return max(0, len(self.data.decode("utf-8").strip().splitlines()) - 1)
        return sum(1 for line in self.data.decode("utf-8").splitlines() if line.strip())

    def manifest(self) -> dict:
        return {
            "department": self.department,
            "feed": self.feed,
            "period": self.period,
            "rows": self.rows,
            "sha256": hashlib.sha256(self.data).hexdigest(),
            "mode": self.mode,
            "format": self.format,
            "file": f"{self.name}.{self.format}",
        }


def _rid(n: int) -> str:
    s = d.SEEKER[n]
    return make_resident_id(n, district=s.district, born=s.born)


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _jsonl(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def _hires() -> list[tuple[int, str, int]]:
    """(seeker, employer USCC, started days ago) of every demo hire."""
    hires = [(s, p, ago) for s, p, _, _, ago in d.HIRES]
    s, p, _, _, ago = d.APPLICATION_HIRE
    hires.append((s, p, ago))
    return [(s, d.ENTERPRISE[d.POST[p].enterprise].uscc, ago) for s, p, ago in hires]


def build(today: date) -> list[Feed]:
    """The feeds of ``today`` (a full day's delivery from each department)."""
    day = today.strftime("%Y%m%d")
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    feeds: list[Feed] = []

    def add(department: str, feed: str, fmt: str, data: bytes, *, period: str | None = None,
            mode: str = "row_by_row") -> None:  # fmt: skip
        feeds.append(
            Feed(
                f"{day}-{department}-{feed}",
                department,
                feed,
                period or today.isoformat(),
                fmt,
                mode,
                data,
            )  # fmt: skip
        )

    add("market_regulation", "enterprise_registry", "csv", _csv(
        ["uscc", "name", "unit_type", "status", "district_code", "industry_code",
         "established_on"],
        [[e.uscc, e.name, UNIT_TYPE, "存续", e.district, e.industry, "2015-03-18"]
         for e in d.ENTERPRISES],
    ))  # fmt: skip
    lists = ["uscc", "name", "list_year", "level", "valid_from", "valid_until", "status"]
    add("industry", "specialized_sme", "csv", _csv(lists, [
        [e.uscc, e.name, today.year - 1, "省级", f"{today.year - 1}-01-01",
         f"{today.year + 1}-12-31", "有效"]
        for e in d.ENTERPRISES if e.specialized
    ]))  # fmt: skip
    add("industry", "little_giant", "csv", _csv(lists, [
        [e.uscc, e.name, today.year - 1, "国家级", f"{today.year - 1}-07-01",
         f"{today.year + 2}-06-30", "有效"]
        for e in d.ENTERPRISES if e.little_giant
    ]))  # fmt: skip
    hires = _hires()
    add("social_insurance", "si_enrolment", "csv", _csv(
        ["resident_id", "uscc", "enrolled_on", "ended_on", "district_code"],
        [[_rid(s), uscc, (today - timedelta(days=ago)).isoformat(),
          (today - timedelta(days=10)).isoformat() if s == d.SEPARATED else "",
          d.SEEKER[s].district]
         for s, uscc, ago in hires],
    ))  # fmt: skip
    add("social_insurance", "si_contribution", "jsonl", _jsonl([
        {"resident_id": _rid(s), "uscc": uscc, "month": last_month.strftime("%Y-%m"),
         "employer_pension_fen": 128_000, "employer_medical_fen": 72_000,
         "employer_unemployment_fen": 4_000, "employer_work_injury_fen": 3_200,
         "employer_maternity_fen": 6_400, "employee_total_fen": 84_000, "base_fen": 800_000}
        for s, uscc, ago in hires if ago >= 30
    ]), period=last_month.strftime("%Y-%m"), mode="all_or_nothing")  # fmt: skip
    graduates = [s for s in d.SEEKERS if s.graduated_days_ago is not None]
    add("education", "education", "jsonl", _jsonl([
        {"resident_id": _rid(s.n), "education_level": EDUCATION_LEVEL[s.education],
         "school": "扬州大学" if s.district.startswith("3210") else "南京大学",
         "graduation_date": (today - timedelta(days=s.graduated_days_ago)).isoformat(),
         "full_time": True}
        for s in graduates
    ]), mode="all_or_nothing")  # fmt: skip
    add("skills", "skill_certificate", "csv", _csv(
        ["resident_id", "certificate_no", "skill_level", "occupation_code", "issued_on",
         "status"],
        [[_rid(s.n), f"Y{s.n:03d}{today.year - 3}0001", SKILL_LEVEL[s.skill_level],
          s.occupations[0], f"{today.year - 3}-06-20", "有效"]
         for s in d.SEEKERS if s.skill_level],
    ))  # fmt: skip
    add("professional_titles", "professional_title", "csv", _csv(
        ["resident_id", "certificate_no", "title", "field", "conferred_on", "status"],
        [[_rid(s.n), f"ZC{s.n:03d}{today.year - 1}01", TITLE[s.title], "计算机软件",
          f"{today.year - 1}-12-15", "有效"]
         for s in d.SEEKERS if s.title],
    ))  # fmt: skip
    add("rural_revitalization", "poverty_alleviated", "csv", _csv(
        ["resident_id", "year", "district_code", "status"],
        [[_rid(s.n), 2019, s.district, "有效"]
         for s in d.SEEKERS if "poverty_alleviated" in s.groups],
    ))  # fmt: skip
    add("veterans_affairs", "veteran", "csv", _csv(
        ["resident_id", "discharged_on"],
        [[_rid(s.n), "2012-12-01"] for s in d.SEEKERS if "veteran" in s.groups],
    ))  # fmt: skip
    add("civil_affairs", "low_income", "csv", _csv(
        ["resident_id", "category", "district_code", "valid_from", "status"],
        [[_rid(s.n), "低收入", s.district, f"{today.year}-01-01", "有效"]
         for s in d.SEEKERS if "employment_difficulty" in s.groups],
    ))  # fmt: skip
    _, n, district, born, _ = d.WORKERS[2]  # a gig rider with a grade-4 physical disability
    add("disabled_federation", "disability", "csv", _csv(
        ["resident_id", "category", "grade", "issued_on", "status"],
        [[make_resident_id(n, district=district, born=born), 4, 4, "2018-05-10", "有效"]],
    ))  # fmt: skip
    add("health", "birth", "csv", _csv(
        ["mother_resident_id", "birth_date", "child_order", "status"],
        [[_rid(2), (today - timedelta(days=40)).isoformat(), 2, "有效"]],
    ))  # fmt: skip
    return feeds


def write(directory: Path, feeds: list[Feed]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for feed in feeds:
        (directory / f"{feed.name}.{feed.format}").write_bytes(feed.data)
        (directory / f"{feed.name}.manifest.json").write_text(
            json.dumps(feed.manifest(), ensure_ascii=False, indent=2) + "\n", "utf-8"
        )


def department_token(settings, department: str) -> str:  # noqa: ANN001
    """A department client's machine token (role service, tenant department, feeds:write)."""
    from suxin_common.auth import mint_dev_token

    return mint_dev_token(
        settings, f"demo-{department}", ["service"], department=department, scopes=["feeds:write"]
    )


def send(http, base_url: str, settings, feed: Feed) -> str | None:  # noqa: ANN001
    """Declare and upload one feed as its department's client; its batch id, or None when the
    department already delivered these bytes (a re-run)."""
    headers = {"Authorization": f"Bearer {department_token(settings, feed.department)}"}
    r = http.post(f"{base_url}/v1/batches", json=feed.manifest(), headers=headers)
    if r.status_code == 409 and r.json().get("code") == "duplicate-batch":
        return None
    r.raise_for_status()
    upload = http.put(base_url + r.json()["upload"], content=feed.data, headers=headers)
    upload.raise_for_status()
    return r.json()["id"]


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "examples/feeds"), build(EXAMPLE_DAY))
