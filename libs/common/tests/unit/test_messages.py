"""Chinese first: problem titles and details from the message catalogue, by code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from suxin_common import messages
from suxin_common.i18n import current_language
from suxin_common.web import Conflict, NotFound, ProblemError, Unprocessable

ROOT = Path(__file__).resolve().parents[4]
PROBLEMS = {
    "NotFound": "not-found",
    "Conflict": "conflict",
    "Forbidden": "forbidden",
    "Unauthenticated": "unauthenticated",
    "Unprocessable": "unprocessable",
    "ServiceUnavailable": "service-unavailable",
    "ProblemError": "internal-error",
    "RuleViolation": "unprocessable",
}


def _in(language: str, problem: ProblemError) -> dict:
    token = current_language.set(language)  # type: ignore[arg-type]
    try:
        return problem.body()
    finally:
        current_language.reset(token)


def _template(node: ast.expr) -> str | None:
    """A raised detail as a template: literal text, each f-string value as `{}`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value.replace("{", "{{").replace("}", "}}") if isinstance(v, ast.Constant) else "{}"
            for v in node.values
        )
    return None


def _raised_details() -> set[tuple[str, str, str]]:
    """(code, template, where) of every literal detail raised in the services and the kit."""
    found = set()
    roots = [ROOT / "libs" / "common" / "src", *sorted((ROOT / "services").glob("*/src"))]
    for root in roots:
        for path in root.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                if node.func.id not in PROBLEMS:
                    continue
                code = PROBLEMS[node.func.id]
                for keyword in node.keywords:
                    if keyword.arg in ("slug", "code") and isinstance(keyword.value, ast.Constant):
                        code = keyword.value.value
                text = _template(node.args[0]) if node.args else None
                if text:
                    found.add((code, text, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return found


def _shape(template: str) -> str:
    return re.sub(r"\{[^{}]*\}", "{}", template.replace("{{", "\0").replace("}}", "\1"))


def test_every_detail_raised_in_the_code_has_its_chinese_text():
    catalogue = messages.catalogue()
    known = {(code, _shape(d.en)) for code, entry in catalogue.items() for d in entry.details}
    defaults = {(code, entry.detail["en"]) for code, entry in catalogue.items() if entry.detail}
    missing = sorted(
        f"{where}: [{code}] {text}"
        for code, text, where in _raised_details()
        if (code, _shape(text)) not in known
        and (code, text.replace("{{", "{").replace("}}", "}")) not in defaults
    )
    assert not missing, "no entry in suxin_common/messages/problems.yaml:\n" + "\n".join(missing)


def test_chinese_by_default_english_when_asked_values_carried_over():
    problem = NotFound("card 42 does not exist")
    zh, en = _in("zh", problem), _in("en", problem)
    assert (zh["title"], zh["detail"]) == ("未找到", "苏畅卡 42 不存在")
    assert (en["title"], en["detail"]) == ("Not Found", "card 42 does not exist")
    assert zh["code"] == en["code"] == "not-found"


def test_a_code_of_its_own_has_its_own_title_and_a_field_message_follows_the_detail():
    problem = Conflict("the job post is closed, not open to applications")
    assert _in("zh", problem)["detail"] == "岗位状态为 closed，不接受求职申请"
    refused = Unprocessable("wage_min_fen exceeds wage_max_fen", field="wage_min_fen")
    assert _in("zh", refused)["errors"] == [
        {"field": "wage_min_fen", "message": "wage_min_fen 大于 wage_max_fen"}
    ]
    assert _in("en", refused)["errors"][0]["message"] == "wage_min_fen exceeds wage_max_fen"
    four_eyes = ProblemError(
        "whoever approved a claim may not pay it", slug="four-eyes", status=403, title="Forbidden"
    )
    assert _in("zh", four_eyes)["title"] == "须由另一人复核"
    assert _in("en", four_eyes)["title"] == "Forbidden"


def test_an_unknown_detail_is_shown_as_raised():
    assert _in("zh", NotFound("No hire 7."))["detail"] == "No hire 7."


def test_validation_messages_name_limits_never_values():
    message = messages.validation_message(
        "string_too_long", "String should have at most 5 characters", {"max_length": 5}, "zh"
    )
    assert message == "最多 5 个字符"
    leaky = messages.validation_message(
        "string_pattern_mismatch", "String should match pattern", {"pattern": "^x$"}, "zh"
    )
    assert leaky == "格式不正确"
    assert messages.validation_detail(["a", "b"], False, "zh") == "以下字段的值无效：a、b。"
    assert messages.validation_detail(["a", "b"], False, "en") == "Invalid value for a, b."
