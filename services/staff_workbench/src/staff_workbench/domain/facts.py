"""A subsidy case's facts beside their sources (事实来源), as staff read them. Pure code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SOURCE_NAMES = {
    "declared": "申报（未核验）",
    "staff": "经办人员录入",
    "confirmed_hire": "本人确认的录用",
    "identity": "身份证件",
    "social_insurance": "人社·社保",
    "education": "教育·学籍学历",
    "skills": "人社·职业技能等级",
    "professional_titles": "人社·职称",
    "market_regulation": "市场监管",
    "industry": "工信",
    "civil_affairs": "民政",
    "rural_revitalization": "乡村振兴",
    "disabled_federation": "残联",
    "health": "卫健",
    "veterans_affairs": "退役军人事务",
    "hrss_records": "人社经办",
}


def label(name: str) -> str:
    """A fact's Chinese name from the platform's one vocabulary (the API glossary), the
    field name where the glossary has none."""
    from suxin_common.apidocs import glossary

    entry = glossary().get(name) or {}
    return str(entry.get("zh") or name)


@dataclass(frozen=True)
class FactRow:
    name: str
    label: str
    value: str
    source: str
    as_of: str
    evidence: str
    verified: bool


def _text(value: Any) -> str:
    if value is None:
        return "—（无来源证实）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def fact_rows(inputs: dict[str, Any], sources: dict[str, Any]) -> list[FactRow]:
    rows = []
    for name in sorted(inputs):
        source = sources.get(name) or {}
        if not isinstance(source, dict):
            source = {"source": str(source)}
        kind = str(source.get("source") or "")
        rows.append(
            FactRow(
                name=name,
                label=label(name),
                value=_text(inputs[name]),
                source=SOURCE_NAMES.get(kind, kind or "—"),
                as_of=str(source.get("as_of") or "—"),
                evidence=str(source.get("evidence_ref") or "—"),
                verified=bool(kind) and kind != "declared",
            )
        )
    return rows


def source_name(code: str | None) -> str:
    return SOURCE_NAMES.get(code or "", code or "—")


def detail_text(detail: dict[str, Any]) -> str:
    """A department fact's detail, for people."""
    return _text(detail) if detail else "—"
