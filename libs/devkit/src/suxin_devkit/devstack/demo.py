"""Demo data for the local stack (`make run`), loaded through the services' public APIs.

Synthetic people and enterprises only (``demo_data``): resident IDs and credit codes are
generated with valid check digits (``suxin_devkit.testing``), none belongs to anyone. Every
call goes through a service's HTTP API with a development token, as the app, an enterprise, a
platform, a training institution or HRSS staff would make it; the other services get their
part from the events (cover, subsidy cases, card offers, statistics).

Re-running on an existing stack is safe: if the demo data is there already (the demo claim
exists), nothing is loaded again and only the banner is printed.
"""

from __future__ import annotations

import shlex
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import httpx

from suxin_common.privacy import person_key
from suxin_common.settings import ServiceSettings
from suxin_devkit.devstack import demo_data as d
from suxin_devkit.devstack.demo_client import (
    DemoError,
    platform_uscc,
    publish_facts,
    resident_id,
)
from suxin_devkit.devstack.demo_steps import ServiceSteps
from suxin_devkit.testing import make_resident_id

__all__ = ["DemoError", "load_demo_data", "platform_uscc", "resident_id"]


def load_demo_data(urls: dict[str, str], nats_url: str | None = None) -> str:
    """Load a small, coherent data set; return the text `make run` prints after the URLs.
    ``nats_url``: where to publish the authority facts (FactVerified) that data-exchange's
    feeds would deliver; without it the cases that need them stay awaiting verification."""
    with httpx.Client(trust_env=False, timeout=30) as http:
        demo = _Demo(http, urls, ServiceSettings(), nats_url)
        if demo.already_loaded():
            if demo.recover():
                note = "Demo data already loaded (kept from the last run)."
            else:
                note = (
                    "Demo data only partly loaded by an earlier run (`make clean` to start afresh)."
                )
        else:
            t0 = time.monotonic()
            demo.load()
            note = f"Demo data loaded in {time.monotonic() - t0:.0f}s."
        return demo.banner(note)


@dataclass
class _Demo(ServiceSteps):
    """The whole demo: detection, load order, job matching, effects and the banner."""

    # --- detection ----------------------------------------------------------------------------

    def already_loaded(self) -> bool:
        """Whether an earlier run loaded the demo (all of it, or the first steps of it)."""
        r = self.http.get(
            f"{self.urls['job_matching']}/v1/enterprises/{d.ENTERPRISE[1].uscc}",
            headers={"Authorization": f"Bearer {self.staff}"},
        )
        return r.status_code == 200 or self._card() is not None

    def _card(self) -> str | None:
        cards = self.call("GET", "talent_card", "/v1/me/cards", self.seeker(d.CARD_APPLICANT))
        items = cards if isinstance(cards, list) else cards.get("items", [])
        return items[0]["id"] if items else None

    def _claims(self) -> list[dict]:
        r = self.http.get(
            f"{self.urls['injury_insurance']}/v1/claims",
            params={"platform_uscc": platform_uscc()},
            headers={"Authorization": f"Bearer {self.staff}"},
        )
        return r.json().get("items", []) if r.status_code == 200 else []

    def recover(self) -> bool:
        """Read the ids the banner needs back through the APIs; False if the earlier run did
        not get to its end (the claim is its last step)."""
        self.seekers[1] = self._register_seeker(1)["id"]
        page = self.call("GET", "job_matching", "/v1/job-posts", district_code="321002", limit=50)
        for p in page["items"]:
            if p["title"] == d.POST["cnc"].title:
                self.posts["cnc"] = p["id"]
        self.card_id = self._card()
        claims = self._claims()
        if claims:
            self.claim_id = claims[0]["id"]
            self.injured_at = claims[0]["injured_at"]
        self.fresh_seeker = self._fresh_seeker()
        return bool(claims)

    # --- loading ------------------------------------------------------------------------------

    def load(self) -> None:
        self._talent_card()  # first: the card holder's hire below then brings no offer
        self._job_matching()
        self._gig_market()
        self._training()
        self._data_exchange()
        self._await_effects()

    def _job_matching(self) -> None:
        for e in d.ENTERPRISES:
            self.call(
                "POST",
                "job_matching",
                "/v1/enterprises",
                # HRSS staff register them: 专精特新/小巨人/重点监测 are set by staff (or the
                # 工信 list), never by the enterprise itself.
                None,
                {
                    "uscc": e.uscc,
                    "name": e.name,
                    "city_code": e.city,
                    "district_code": e.district,
                    "industry_code": e.industry,
                    "size": e.size,
                    "specialized_sme": e.specialized,
                    "little_giant": e.little_giant,
                    "key_monitored": e.key_monitored,
                },
                ok=(201, 409),
            )
        for p in d.POSTS:
            body = {
                "enterprise_uscc": d.ENTERPRISE[p.enterprise].uscc,
                "title": p.title,
                "occupation_code": p.occupation,
                "district_code": p.district,
                "kind": p.kind,
                "headcount": p.headcount,
                "wage_min_fen": p.wage[0] * 100,
                "wage_max_fen": p.wage[1] * 100,
                "description": p.description,
                "required_skills": list(p.skills),
                "min_education": p.education,
            }
            post = self.call(
                "POST", "job_matching", "/v1/job-posts", self.enterprise(p.enterprise), body
            )
            self.posts[p.key] = post["id"]
        self._job_fair()
        for s in d.SEEKERS:
            self.seekers[s.n] = self._register_seeker(s.n)["id"]
        applications = {}
        for n, key, steps in d.APPLICATIONS:
            app = self.call(
                "POST",
                "job_matching",
                "/v1/applications",
                self.seeker(n),
                {"seeker_id": self.seekers[n], "job_post_id": self.posts[key]},
            )
            applications[n, key] = app["id"]
            owner = self.enterprise(d.POST[key].enterprise)
            for step in steps:
                who = self.seeker(n) if step == "withdraw" else owner
                self.call("POST", "job_matching", f"/v1/applications/{app['id']}/{step}", who, {})
        self._authority_facts()
        for n, key, contract, months, ago in d.HIRES:
            self.hires[n] = self._hire(n, key, contract, months, ago)
        n, key, contract, months, ago = d.APPLICATION_HIRE
        self.hires[n] = self._hire(n, key, contract, months, ago, applications[n, key])
        # Each person confirms the hire filed about them (录用确认): only then do subsidies,
        # card moves and the statistics count it (insurance cover started already).
        for n, hire_id in self.hires.items():
            self.call(
                "POST",
                "job_matching",
                f"/v1/hires/{hire_id}/confirmation",
                self.seeker(n),
                {"decision": "confirm"},
            )
        self.call(
            "POST",
            "job_matching",
            f"/v1/hires/{self.hires[d.SEPARATED]}/separation",
            self.enterprise(d.POST["qc"].enterprise),
            {"end_date": str(date.today() - timedelta(days=10)), "reason": "resignation"},
        )
        self.fresh_seeker = self._fresh_seeker()

    def _authority_facts(self) -> None:
        """What data-exchange's feeds state (部门数据比对), published as it would: seeker 1's
        学历 from the education department (the graduate's case can then go to review), seeker
        9's 技师 certificate from the skills registry (the hire into a 专精特新 firm then brings
        a card offer). Seeker 3's declared 就业困难 is left for the HRSS records feed
        (data-exchange's demo day of feeds): that case stays awaiting verification until then.
        """
        if not self.nats_url:
            return
        from suxin_devkit import factfeed

        one = d.SEEKER[1]
        graduated = date.today() - timedelta(days=one.graduated_days_ago or 0)
        key1 = person_key(resident_id(1), self.settings.person_key_secret)
        key9 = person_key(resident_id(9), self.settings.person_key_secret)
        events = [
            factfeed.education(key1, one.education, graduated, evidence_ref="demo-edu#1"),
            factfeed.skill(key9, "technician", evidence_ref="demo-skills#9"),
        ]
        publish_facts(self.nats_url, events)

    def _register_seeker(self, n: int) -> dict:
        s = d.SEEKER[n]
        body: dict[str, Any] = {
            "resident_id": resident_id(n),
            "district_code": s.district,
            "education": s.education,
            "key_groups": list(s.groups),
            "skills": list(s.skills),
            "desired_occupations": list(s.occupations),
            "desired_regions": list(s.regions),
            "desired_wage_fen": s.wage * 100,
            "skill_level": s.skill_level,
            "professional_title": s.title,
            "previously_unemployed": s.unemployed,
            "open_to_offers": True,
        }
        if s.graduated_days_ago is not None:
            body["graduation_date"] = str(date.today() - timedelta(days=s.graduated_days_ago))
        return self.call("POST", "job_matching", "/v1/seekers", self.seeker(n), body)

    def _hire(
        self, n: int, key: str, contract: str, months: int, ago: int, application: str = ""
    ) -> str:
        post = d.POST[key]
        body = {
            "enterprise_uscc": d.ENTERPRISE[post.enterprise].uscc,
            "seeker_id": self.seekers[n],
            "job_post_id": self.posts[key],
            "start_date": str(date.today() - timedelta(days=ago)),
            "contract_type": contract,
            "contract_months": months,
            "monthly_wage_fen": (post.wage[0] + post.wage[1]) // 2 * 100,
        }
        if application:
            body["application_id"] = application
        hire = self.call(
            "POST", "job_matching", "/v1/hires", self.enterprise(post.enterprise), body
        )
        return hire["id"]

    def _fresh_seeker(self) -> str:
        """A graduate registered for the printed example hire: another one on every run (the
        birth date and number follow the clock, and the next one is tried when a run within
        the same second took it), so pasting the curl succeeds each time."""
        t = int(time.time())
        for step in range(1000):
            u = t + step
            born = date(1999, 1, 1) + timedelta(days=u % 1500)
            seeker = self.call(
                "POST",
                "job_matching",
                "/v1/seekers",
                body={
                    "resident_id": make_resident_id(
                        100 + u // 1500 % 900, district="321002", born=born.strftime("%Y%m%d")
                    ),
                    "education": "bachelor",
                    "graduation_date": str(date.today() - timedelta(days=120)),
                    "key_groups": ["college_graduate"],
                    "skills": ["数控编程", "PLC"],
                    "desired_occupations": ["6-18-01-01"],
                    "desired_regions": ["3210"],
                },
                ok=(201, 409),
            )
            if "id" in seeker:  # a 409 problem names the existing seeker as `seeker_id`
                return seeker["id"]
        raise DemoError("no unused synthetic resident ID for the example seeker")

    def _job_fair(self) -> None:
        """A 专精特新 专场 on site this week: enterprise 1 (专精特新) shows its posts at a booth;
        seeker 1 registers (the code for the door is in 我的招聘会)."""
        today = date.today()
        fair = self.call(
            "POST",
            "job_matching",
            "/v1/job-fairs",
            body=d.JOB_FAIR
            | {
                "starts_on": str(today),
                "ends_on": str(today + timedelta(days=6)),
            },
        )
        posts = [self.posts[p.key] for p in d.POSTS if p.enterprise == 1]
        self.call(
            "PUT",
            "job_matching",
            f"/v1/job-fairs/{fair['id']}/booth",
            self.enterprise(1),
            {"job_post_ids": posts},
        )
        self.call(
            "POST", "job_matching", f"/v1/job-fairs/{fair['id']}/registrations", self.seeker(1)
        )

    def _await_effects(self) -> None:
        uscc = platform_uscc()
        worker = d.WORKERS[0][0]
        at = self.injured_at
        self.wait(
            "the gig worker's cover",
            lambda: (
                self.call(
                    "GET",
                    "injury_insurance",
                    f"/v1/platforms/{uscc}/workers/{worker}/cover",
                    ok=(200, 404),
                    at=at,
                )
                and self._covered(worker, at)
            ),
        )
        claim = self.call(
            "POST",
            "injury_insurance",
            "/v1/claims",
            self.platform,
            {
                "platform_uscc": uscc,
                "worker_id": worker,
                "injured_at": at,
                "place": "南京市鼓楼区中山北路送餐途中",
                "city_code": "3201",
                "district_code": "320106",
                "order_id": f"SD-{worker}-000",
                "description": "配送途中电动车避让行人摔倒，左腕扭伤。",
            },
        )
        self.claim_id = claim["id"]
        e1 = d.ENTERPRISE[1].uscc
        in_review = self.wait(
            "a subsidy case under review",
            lambda: [
                c
                for c in self.call(
                    "GET", "training_vouchers", "/v1/subsidy-cases", enterprise_uscc=e1
                )["items"]
                if c["status"] == "under_review"
            ],
        )
        proposal = self.call(
            "POST",
            "training_vouchers",
            f"/v1/subsidy-cases/{in_review[0]['id']}/decision",
            body={"decision": "approve"},
        )
        # Maker-checker: a second staff member confirms the approval (docs/money.md).
        if proposal and proposal.get("pending_approval_id"):
            self.check(proposal["pending_approval_id"])
        self.wait(
            "the hires' cover",
            lambda: self.call("GET", "injury_insurance", "/v1/coverages", enterprise_uscc=e1)[
                "items"
            ],
        )
        total = len(d.HIRES) + 1
        self.wait(
            f"{total} hires and a separation in the statistics",
            lambda: self._monitored(total),
        )
        self.wait("card offers from a hire and a certificate", self._offers_from_both)

    def _offers_from_both(self) -> bool:
        offers = self.call("GET", "talent_card", "/v1/card-offers", limit=50)["items"]
        sources = {e["source"].split(":")[0] for o in offers for e in o["evidence"]}
        return {"hire_recorded", "training_certified"} <= sources

    def _covered(self, worker: str, at: str) -> bool:
        r = self.call(
            "GET",
            "injury_insurance",
            f"/v1/platforms/{platform_uscc()}/workers/{worker}/cover",
            ok=(200, 404),
            at=at,
        )
        return bool(r and r.get("covered"))

    def _monitored(self, hires: int) -> bool:
        total = self.call("GET", "employment_monitor", "/v1/stats/employment")["total"]
        return total.get("hires", 0) >= hires and total.get("separations", 0) >= 1

    # --- the banner ---------------------------------------------------------------------------

    def banner(self, note: str) -> str:
        u = self.urls
        e1 = d.ENTERPRISE[1]
        staff = self.staff
        ent = self.enterprise(1)
        hire = (
            f'{{"enterprise_uscc":"{e1.uscc}","seeker_id":"{self.fresh_seeker}",'
            f'"job_post_id":"{self.posts.get("cnc", "")}","start_date":"{date.today()}",'
            f'"contract_type":"fixed_term","contract_months":36,"monthly_wage_fen":750000}}'
        )
        seeker = self.seekers.get(1, "")
        puscc, worker = platform_uscc(), d.WORKERS[0][0]
        card = self.card_id or "<card id>"
        lines = [
            note,
            f"  苏心聘  {len(d.ENTERPRISES)} enterprises in 4 cities (扬州智能装备: 专精特新,"
            f" key-monitored), {len(d.POSTS)} open posts, {len(d.SEEKERS)} seekers,",
            f"         {len(d.APPLICATIONS)} applications in review, {len(d.HIRES) + 1} hires,"
            " 1 separation",
            f"  零工    a market, pilot platform {d.PLATFORM['name']} (client id"
            f" {d.PLATFORM_CLIENT_ID}),",
            f"         {len(d.WORKERS)} riders, {len(d.WORKERS) * d.ORDERS_PER_WORKER} orders,"
            " their cover and 1 injury claim under review",
            "  培训    a voucher redeemed and certified (高级技师); subsidy cases opened from the"
            " hires",
            "  苏畅卡  a card approved from an application; offers from a hire and a certificate",
            "  数据    a day of department feeds (社保, 学历, 技能, 职称, 市场监管, 工信, 民政,",
            "         乡村振兴, 残联, 卫健, 退役军人) and a 就业困难人员认定 by two staff members",
            "",
            f"Dashboard:  {u['employment_monitor']}/dashboard#token={staff}",
            "",
            f"  STAFF='Authorization: Bearer {staff}'",
            f"  ENT='Authorization: Bearer {ent}'",
            f"  SEEKER='Authorization: Bearer {self.seeker(1)}'",
            "",
            f"Record a hire as {e1.name} (then rerun the lookups below):",
            f'  curl -sS -X POST {u["job_matching"]}/v1/hires -H "$ENT" \\',
            f"    -H 'Content-Type: application/json' -d {shlex.quote(hire)}",
            "Why this job (recommendations with score breakdown, as the seeker):",
            f'  curl -sS -H "$SEEKER" \'{u["job_matching"]}/v1/seekers/{seeker}'
            "/recommendations?limit=3'",
            "Subsidy cases opened by the policy engine:",
            _curl(u["training_vouchers"], f"/v1/subsidy-cases?enterprise_uscc={e1.uscc}"),
            "The talent card: credential (JWS), QR code, and the keys to verify it:",
            _curl(u["talent_card"], f"/v1/cards/{card}/credential"),
            _curl(u["talent_card"], f"/v1/cards/{card}/qr?format=svg", " -o card.svg"),
            f"  curl -sS '{u['talent_card']}/.well-known/jwks.json'",
            "Was the rider covered at the time of the reported injury:",
            _curl(
                u["injury_insurance"],
                f"/v1/platforms/{puscc}/workers/{worker}/cover?at={quote(self.injured_at)}",
            ),
            "Department feeds and the facts they verified (examples/feeds/ to send your own):",
            _curl(u["data_exchange"], "/v1/batches"),
            _curl(u["data_exchange"], f"/v1/facts?uscc={e1.uscc}"),
            "Statistics:",
            _curl(u["employment_monitor"], "/v1/stats/hires?group_by=city&group_by=month"),
        ]
        return "\n".join(lines)


def _curl(base: str, path: str, extra: str = "") -> str:
    return f"  curl -sS -H \"$STAFF\" '{base}{path}'{extra}"
