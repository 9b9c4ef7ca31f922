"""`make run`'s demo data: the whole stack on free ports, the demo loaded through the APIs, and
what a newcomer would look at visible in every service. Loading again changes nothing."""

from __future__ import annotations

import re
import shutil
import sys

import httpx
import pytest
from joserfc import jws
from joserfc.jwk import KeySet

from suxin_common.auth import mint_dev_token
from suxin_common.settings import ServiceSettings
from suxin_devkit.devstack import demo_data as d
from suxin_devkit.devstack import stack_state
from suxin_devkit.devstack._proc import free_port, private_tmpdir
from suxin_devkit.devstack.demo import load_demo_data, platform_uscc
from suxin_devkit.devstack.stack import SERVICES, Stack

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def stack():
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("DATABASE_URL", raising=False)
        mp.delenv("NATS_URL", raising=False)
        workdir = private_tmpdir("suxin-demo-test-")
        stack = Stack(
            workdir / "devstack",
            services={svc: free_port() for svc in SERVICES},
            load_demo=True,
            ready_timeout=120.0,
            extra_env={"LOG_LEVEL": "warning"},
            out=sys.stderr,
        )
        try:
            stack.start()
            yield stack
        finally:
            stack.stop()
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def api(stack):
    staff = mint_dev_token(ServiceSettings(), "demo-test", ["hrss_staff"])
    with httpx.Client(trust_env=False, timeout=30) as http:

        def get(svc: str, path: str, **params):
            r = http.get(
                stack.urls[svc] + path,
                params=params,
                headers={"Authorization": f"Bearer {staff}"},
            )
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
            return r.json()

        yield get


def test_the_demo_loads_and_prints_ready_commands(stack) -> None:
    text = stack.demo_text
    assert text.startswith("Demo data loaded"), text
    u = stack.urls
    assert f"{u['employment_monitor']}/dashboard#token=ey" in text
    assert f"{u['job_matching']}/v1/hires" in text
    assert f"{u['data_exchange']}/v1/batches" in text
    assert "/recommendations" in text and "/v1/subsidy-cases?enterprise_uscc=" in text
    assert re.search(r"/v1/cards/[0-9a-f-]{36}/credential", text)
    assert "/.well-known/jwks.json" in text and "/cover?at=" in text


def test_job_matching_has_posts_seekers_and_reviewed_applications(stack, api) -> None:
    enterprise = api("job_matching", f"/v1/enterprises/{d.ENTERPRISE[1].uscc}")
    assert enterprise["specialized_sme"] and enterprise["key_monitored"]
    posts = api("job_matching", "/v1/job-posts", limit=50)["items"]
    assert {p.title for p in d.POSTS} <= {p["title"] for p in posts}
    seeker = re.search(r"/v1/seekers/([0-9a-f-]{36})/recommendations", stack.demo_text)[1]
    recommendations = api("job_matching", f"/v1/seekers/{seeker}/recommendations")["items"]
    assert recommendations and recommendations[0]["breakdown"]
    post = next(p for p in posts if p["title"] == d.POST["qc"].title)
    statuses = {
        a["status"]
        for a in api("job_matching", f"/v1/job-posts/{post['id']}/applications")["items"]
    }
    assert "hired" in statuses


def test_the_hires_reached_every_service(api) -> None:
    e1 = d.ENTERPRISE[1].uscc
    cases = api("training_vouchers", "/v1/subsidy-cases", enterprise_uscc=e1)["items"]
    assert cases and any(c["status"] == "approved" for c in cases)
    assert api("injury_insurance", "/v1/coverages", enterprise_uscc=e1)["items"]
    employment = api("employment_monitor", "/v1/stats/employment")["total"]
    assert employment["hires"] == len(d.HIRES) + 1
    assert employment["separations"] == 1
    offers = api("talent_card", "/v1/card-offers")["items"]
    assert any(e["source"].startswith("hire_recorded:") for o in offers for e in o["evidence"])
    assert any(e["source"].startswith("training_certified:") for o in offers for e in o["evidence"])


def test_gig_orders_are_covered_and_the_claim_is_under_review(api) -> None:
    claims = api("injury_insurance", "/v1/claims", platform_uscc=platform_uscc())["items"]
    assert [c["stage"] for c in claims] == ["under_review"]
    gig = api("employment_monitor", "/v1/stats/gig")
    assert sum(row["orders"] for row in gig["cover"]) == len(d.WORKERS) * d.ORDERS_PER_WORKER


def test_a_day_of_department_feeds_arrived_as_facts(api) -> None:
    from suxin_common.privacy import person_key
    from suxin_devkit.devstack.demo import resident_id

    batches = api("data_exchange", "/v1/batches", limit=50)["items"]
    assert len(batches) >= 13 and {b["status"] for b in batches} == {"applied"}
    e1 = d.ENTERPRISE[1].uscc
    kinds = {f["kind"] for f in api("data_exchange", "/v1/facts", uscc=e1)}
    assert {"enterprise_registration", "specialized_sme", "little_giant"} <= kinds
    secret = ServiceSettings().person_key_secret
    n = next(s.n for s in d.SEEKERS if "employment_difficulty" in s.groups)
    facts = api("data_exchange", "/v1/facts", person_key=person_key(resident_id(n), secret))
    assert {"employment_difficulty", "low_income", "social_insurance_enrolment"} <= {
        f["kind"] for f in facts
    }


def test_the_card_verifies_against_the_jwks(stack, api) -> None:
    card = re.search(r"/v1/cards/([0-9a-f-]{36})/credential", stack.demo_text)[1]
    credential = api("talent_card", f"/v1/cards/{card}/credential")
    token = credential["credential"] if isinstance(credential, dict) else credential
    keys = KeySet.import_key_set(api("talent_card", "/.well-known/jwks.json"))
    verified = jws.deserialize_compact(token, keys, algorithms=["EdDSA"])
    assert b"SuchangTalentCard" in verified.payload


def test_loading_again_changes_nothing(stack, api) -> None:
    before = api("employment_monitor", "/v1/stats/employment")["total"]
    text = load_demo_data(dict(stack.urls))
    assert text.startswith("Demo data already loaded")
    assert api("employment_monitor", "/v1/stats/employment")["total"] == before


def test_district_staff_sign_in_to_the_workbench_and_see_the_demo_work(stack) -> None:
    """The sign-in `make run` prints works: the workbench sends the browser to the development
    OpenID provider, the demo account signs in there, and the queues show the district's
    work read from the services with that staff member's token."""
    from suxin_devkit.oidc import DEMO_PASSWORD

    banner = stack_state.workbench_note(stack)  # what `make run` prints about the workbench
    workbench = stack.urls["staff_workbench"]
    assert f"Staff workbench (人社经办工作台): {workbench}/" in banner
    assert any("wangfang" in line for line in banner) and any(DEMO_PASSWORD in x for x in banner)
    with httpx.Client(trust_env=False, timeout=30) as browser:
        r = browser.get(f"{workbench}/auth/start")
        assert r.status_code == 302 and r.headers["location"].startswith(stack.oidc_issuer)
        form = browser.get(r.headers["location"])
        assert form.status_code == 200 and "人社工作人员登录" in form.text
        fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.text))
        r = browser.post(
            f"{stack.oidc_issuer}/authorize",
            data={**fields, "username": "wangfang", "password": DEMO_PASSWORD},
        )
        assert r.status_code == 303
        r = browser.get(r.headers["location"])  # the callback sets the session cookie
        assert r.status_code == 303 and r.headers["location"] == "/"
        page = browser.get(f"{workbench}/")
        enterprise = browser.get(f"{workbench}/enterprises/{d.ENTERPRISE[1].uscc}")
    assert page.status_code == 200, page.text[:500]
    assert "王芳" in page.text and "工作队列" in page.text
    assert "暂时无法读取" not in page.text
    assert "/cases/" in page.text  # the demo's subsidy cases of 广陵区
    # Its enterprise page gathers the registry, the monitoring read model and the subsidies.
    assert enterprise.status_code == 200, enterprise.text[:500]
    assert d.ENTERPRISE[1].name in enterprise.text and "在职人数" in enterprise.text
    assert "服务暂不可用" not in enterprise.text and "无权查看" not in enterprise.text
