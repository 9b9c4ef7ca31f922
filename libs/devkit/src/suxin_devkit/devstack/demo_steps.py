"""The demo's steps for the gig market, training and subsidies, the talent card and the
authority feeds (`demo.py` runs them in order; the job-matching steps and the banner stay there).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from suxin_devkit.devstack import demo_data as d
from suxin_devkit.devstack import demo_feeds
from suxin_devkit.devstack.demo_client import (
    DemoClient,
    DemoError,
    cst,
    institution_uscc,
    platform_uscc,
    resident_id,
)


class ServiceSteps(DemoClient):
    """Loads what lives outside job-matching, through each service's public API."""

    def _gig_market(self) -> None:
        today = date.today()
        market = self.call(
            "POST",
            "gig_market",
            "/v1/gig-markets",
            body={**d.MARKET, "opened_on": str(today - timedelta(days=200))},
        )
        # The market as a market: a gig with its place, hours and skills, posted by an
        # enterprise; a 零工驿站 nearby; a worker's gig profile and application (the poster's
        # 单位消息 and the worker's 站内消息 follow from the event).
        gig = self.call(
            "POST",
            "gig_market",
            f"/v1/gig-markets/{market['id']}/postings",
            self.enterprise(d.GIG_POSTER),
            d.GIG_POSTING | {"starts_on": str(today), "ends_on": str(today + timedelta(days=14))},
        )
        self.call("POST", "gig_market", "/v1/gig-stations", body=d.GIG_STATION, ok=(201, 409))
        worker = self.seeker(d.WORKERS[0][1])
        self.call("PUT", "gig_market", "/v1/me/gig-profile", worker, d.GIG_PROFILE)
        self.call(
            "POST", "gig_market", f"/v1/gig-postings/{gig['id']}/applications", worker, ok=(201,)
        )
        self.call(
            "POST",
            "gig_market",
            f"/v1/gig-markets/{market['id']}/postings",
            body={
                "title": "周末商超理货员",
                "occupation_code": "4-01-02-01",
                "district_code": d.MARKET["district_code"],
                "pay_unit": "hour",
                "pay_fen": 2500,
                "headcount": 12,
                "starts_on": str(today + timedelta(days=3)),
                "ends_on": str(today + timedelta(days=30)),
            },
        )
        uscc = platform_uscc()
        self.call(
            "POST", "gig_market", "/v1/platforms", body={"uscc": uscc, **d.PLATFORM}, ok=(201, 409)
        )
        for worker_id, n, _, _, name in d.WORKERS:
            self.call(
                "POST",
                "gig_market",
                f"/v1/platforms/{uscc}/workers",
                self.platform,
                {
                    "worker_id": worker_id,
                    "resident_id": resident_id(n),
                    "name": name,
                    "city_code": "3201",
                },
                ok=(200, 201, 409),
            )
        now = datetime.now(UTC).replace(microsecond=0)
        orders = []
        for w, (worker_id, *_rest) in enumerate(d.WORKERS):
            for i in range(d.ORDERS_PER_WORKER):
                accepted = now - timedelta(hours=6) + timedelta(minutes=40 * i + 7 * w)
                last = i == d.ORDERS_PER_WORKER - 1
                order = {
                    "order_id": f"SD-{worker_id}-{i:03d}",
                    "worker_id": worker_id,
                    "industry": "intra_city_freight" if i % 4 == 3 else "instant_delivery",
                    "status": "accepted" if last else "completed",
                    "accepted_at": cst(accepted),
                    "city_code": "3201",
                }
                if not last:
                    order["completed_at"] = cst(accepted + timedelta(minutes=28))
                orders.append(order)
        report = self.call(
            "POST",
            "gig_market",
            f"/v1/platforms/{uscc}/order-reports",
            self.platform,
            {"orders": orders},
        )
        if report.get("rejected"):
            raise DemoError(f"order report rejected rows: {report.get('errors')}")
        self.injured_at = cst(now - timedelta(hours=6) + timedelta(minutes=15))

    def _training(self) -> None:
        occ = d.OCCUPATION
        table = self.call(
            "PUT",
            "training_vouchers",
            f"/v1/occupations/{occ['code']}",
            body={k: v for k, v in occ.items() if k != "code"},
            ok=(200, 202),
        )
        # A table change takes effect when a second staff member approves it (docs/money.md).
        if table and table.get("approval_id"):
            self.check(table["approval_id"])
        inst = self.call(
            "POST",
            "training_vouchers",
            "/v1/institutions",
            body={
                "uscc": institution_uscc(),
                "name": d.INSTITUTION_NAME,
                "district_code": d.INSTITUTION_DISTRICT,
            },
            ok=(200, 201, 409),
        )
        if inst is None:
            items = self.call("GET", "training_vouchers", "/v1/institutions", limit=50)["items"]
            inst = next(i for i in items if i["uscc"] == institution_uscc())
        school = self.token("demo-institution", ["institution"], institution_id=inst["id"])
        s = d.SEEKER[d.VOUCHER_HOLDER]
        voucher = self.call(
            "POST",
            "training_vouchers",
            "/v1/vouchers",
            body={
                "resident_id": resident_id(s.n),
                "occupation_code": occ["code"],
                "training_kind": "employee_upskilling",
                "target_level": "senior_technician",
                "eligibility": "employee",
                "city_code": s.district[:4],
                "district_code": s.district,
            },
        )
        path = f"/v1/vouchers/{voucher['id']}"
        today = date.today()
        self.call("POST", "training_vouchers", f"{path}/enrolment", school)
        self.call(
            "POST",
            "training_vouchers",
            f"{path}/completion",
            school,
            {"completed_on": str(today), "passed": True},
        )
        self.call(
            "POST",
            "training_vouchers",
            f"{path}/certification",
            school,
            {"certified_on": str(today), "skill_level": "senior_technician"},
        )
        # The social-insurance system reports seeker 1's first month: the graduate's 一次性吸纳
        # case leaves "awaiting data" and its 20 working days of review start.
        e1 = d.ENTERPRISE[1]
        self.call(
            "POST",
            "training_vouchers",
            "/v1/social-insurance/contributions",
            body={
                "resident_id": resident_id(1),
                "enterprise_uscc": e1.uscc,
                "months": [
                    {
                        "month": today.strftime("%Y-%m"),
                        "employer": {
                            "pension_fen": 104000,
                            "medical_fen": 52000,
                            "unemployment_fen": 3250,
                            "work_injury_fen": 2600,
                            "maternity_fen": 5200,
                        },
                        "employee_fen": 67600,
                    }
                ],
            },
        )

    def _talent_card(self) -> None:
        s = d.SEEKER[d.CARD_APPLICANT]
        applicant = self.seeker(s.n)
        app = self.call(
            "POST",
            "talent_card",
            "/v1/card-applications",
            applicant,
            {
                # The applicant works in 苏州 when the card is issued; the hire below (南京软件谷)
                # then moves the card to 南京: a talent flow for the monitor's 人才流动 panel.
                "resident_id": resident_id(s.n),
                "city_code": d.ENTERPRISE[4].city,
                "employer_uscc": d.ENTERPRISE[4].uscc,
                "attributes": {
                    "professional_title": s.title,
                    "education": s.education,
                    "key_enterprise": True,
                },
                "documents": [
                    {"kind": "professional_title_certificate", "reference": "JS-ZGJ-2025-0042"}
                ],
            },
        )
        self.call(
            "POST",
            "talent_card",
            f"/v1/card-applications/{app['id']}/approve",
            body={"note": "材料齐全，同意发卡"},
        )
        cards = self.call("GET", "talent_card", "/v1/me/cards", applicant)
        items = cards if isinstance(cards, list) else cards.get("items", [])
        self.card_id = items[0]["id"] if items else None

    def _data_exchange(self) -> None:
        """A day of department feeds (部门数据比对) and a 就业困难人员认定 handled by two staff
        members of the person's district of residence (常住地)."""
        base = self.urls["data_exchange"]
        sent = [
            batch
            for feed in demo_feeds.build(date.today())
            if (batch := demo_feeds.send(self.http, base, self.settings, feed))
        ]
        for batch in sent:
            self.wait(
                f"feed batch {batch}",
                lambda b=batch: (
                    self.call("GET", "data_exchange", f"/v1/batches/{b}")["status"]
                    in ("applied", "partially_applied")
                ),
            )
        n = next(s.n for s in d.SEEKERS if "employment_difficulty" in s.groups)
        district = d.SEEKER[n].district
        handler = self.token("demo-staff-handler", ["hrss_staff"], district=district)
        checker = self.token("demo-staff-checker", ["hrss_staff"], district=district)
        record = self.call(
            "POST",
            "data_exchange",
            "/v1/employment-difficulties",
            handler,
            {
                "resident_id": resident_id(n),
                "residence_district": district,
                "service_point": "雨花台区就业服务站",
                "category": "low_income_household",
            },
            ok=(201, 409),
        )
        if record is None:
            return  # recognised by an earlier run
        url = f"/v1/employment-difficulties/{record['id']}"
        self.call("POST", "data_exchange", f"{url}/check", handler, {"passed": True})
        self.call("POST", "data_exchange", f"{url}/decision", checker, {"approve": True})
