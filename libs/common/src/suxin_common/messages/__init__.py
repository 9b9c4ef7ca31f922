"""The message catalogue: what people read of a problem, in Chinese unless asked for English.

Problems are keyed by their stable ``code`` (the slug of their type; the domain exceptions of
``suxin_common.errors`` carry the same codes). ``problems.yaml`` gives each code a title in both
languages, optionally a default detail, and the Chinese rendering of each English detail text
raised with it; values in the text (ids, statuses, limits) are carried over. A detail that the
catalogue does not know is shown as raised (the test of this package keeps every literal one
known). Validation errors (422) are worded per pydantic error type, naming the field, never
echoing the submitted value.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import yaml

from suxin_common.i18n import Language

# HTTP reason phrases (errors raised by the framework: 404 for an unknown path, 405, 415 ...).
TITLES_ZH: Final[dict[str, str]] = {
    "Bad Request": "请求有误",
    "Unauthorized": "未登录或凭证无效",
    "Forbidden": "无权操作",
    "Not Found": "未找到",
    "Method Not Allowed": "不支持该请求方法",
    "Not Acceptable": "无法提供所要求的格式",
    "Conflict": "与当前状态冲突",
    "Gone": "已不存在",
    "Length Required": "缺少内容长度",
    "Precondition Failed": "前提条件不满足",
    "Content Too Large": "请求内容过大",
    "Request Entity Too Large": "请求内容过大",
    "Unsupported Media Type": "不支持的内容类型",
    "Unprocessable Content": "请求内容无效",
    "Unprocessable Entity": "请求内容无效",
    "Precondition Required": "缺少前提条件",
    "Too Many Requests": "请求过于频繁",
    "Internal Server Error": "服务器内部错误",
    "Service Unavailable": "服务暂时不可用",
}


@dataclass(frozen=True, slots=True)
class _Detail:
    en: str
    zh: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    title: Mapping[str, str]
    detail: Mapping[str, str] | None
    details: tuple[_Detail, ...]


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression for an English template: literal text, `{name}` any value."""
    out, seen = "", set()
    for literal, name, _, _ in string.Formatter().parse(template):
        out += re.escape(literal)
        if name is not None:
            out += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
            seen.add(name)
    return re.compile(out, re.DOTALL)


@cache
def catalogue() -> dict[str, Entry]:
    raw = yaml.safe_load(resources.files(__package__).joinpath("problems.yaml").read_text("utf-8"))
    out = {}
    for code, item in raw.items():
        details = []
        for en, zh in (item.get("details") or {}).items():
            if set(_fields(en)) != set(_fields(zh)):
                raise ValueError(f"{code}: {en!r} and {zh!r} name different values")
            details.append(_Detail(en, zh, _pattern(en)))
        out[code] = Entry(code, item["title"], item.get("detail"), tuple(details))
    return out


def title(code: str, english: str, language: Language) -> str:
    """The title of a problem: in English as raised; in Chinese the catalogue's for its code,
    else the Chinese of an HTTP reason phrase."""
    if language == "en":
        return english
    entry = catalogue().get(code)
    if entry is not None and english in (entry.title["en"], *TITLES_ZH):
        return entry.title["zh"]
    return TITLES_ZH.get(english, english)


def detail(
    code: str,
    english: str | None,
    language: Language,
    params: Mapping[str, Any] | None = None,
) -> str | None:
    """The detail of a problem in `language`.

    `english` is the detail as raised; with `params` (and no text) the code's default detail is
    filled in. In English the raised text stays as it is; in Chinese it is matched against the
    code's known texts and its values carried over; unknown text stays as raised."""
    entry = catalogue().get(code)
    if entry is None:
        return english
    if english is None or (entry.detail is not None and english == entry.detail["en"]):
        if entry.detail is None:
            return None
        return entry.detail[language].format_map(_Values(params or {}))
    if language == "en":
        return english
    for known in entry.details:
        found = known.pattern.fullmatch(english)
        if found:
            return known.zh.format_map(found.groupdict())
    return english


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# --- validation errors (422) ---------------------------------------------------------------

# Per pydantic error type; `{name}` from the error's context (limits and allowed values only:
# never `input`, which is the submitted value).
VALIDATION_ZH: Final[dict[str, str]] = {
    "missing": "必填",
    "extra_forbidden": "不允许此字段",
    "string_type": "须为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "float_type": "须为数字",
    "float_parsing": "须为数字",
    "bool_type": "须为 true 或 false",
    "bool_parsing": "须为 true 或 false",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "multiple_of": "须为 {multiple_of} 的倍数",
    "literal_error": "须为以下之一：{expected}",
    "enum": "须为以下之一：{expected}",
    "uuid_type": "须为 UUID",
    "uuid_parsing": "须为 UUID",
    "date_type": "须为日期（YYYY-MM-DD）",
    "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "须为日期，不含时刻",
    "datetime_type": "须为日期时间（ISO 8601）",
    "datetime_parsing": "须为日期时间（ISO 8601）",
    "datetime_from_date_parsing": "须为日期时间（ISO 8601）",
    "timezone_aware": "须带时区",
    "list_type": "须为列表",
    "tuple_type": "须为列表",
    "set_type": "须为列表",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "model_attributes_type": "须为对象",
    "json_invalid": "不是有效的 JSON",
    "json_type": "须为 JSON",
    "url_parsing": "须为 URL",
    "url_scheme": "URL 的协议不允许",
    "decimal_parsing": "须为数字",
    "union_tag_invalid": "类型标记无效",
    "value_error": "取值无效",
    "assertion_error": "取值无效",
}
_SAFE_CONTEXT: Final = frozenset(
    {"min_length", "max_length", "gt", "ge", "lt", "le", "multiple_of", "expected"}
)


def validation_message(
    error_type: str, english: str, context: Mapping[str, Any] | None, language: Language
) -> str:
    """One field's validation message: the English text as it was, or the Chinese by type
    (a validator's own message is translated when the catalogue knows it)."""
    if language == "en":
        return english
    if error_type in ("value_error", "assertion_error"):
        known = detail("validation-failed", english, "zh")
        # A validator's message the catalogue lacks is kept: it says what is wrong.
        return known if known is not None and known != english else f"取值无效：{english}"
    template = VALIDATION_ZH.get(error_type)
    if template is None:
        return "取值无效"
    values = {k: str(v) for k, v in (context or {}).items() if k in _SAFE_CONTEXT}
    return template.format_map(_Values(values))


def validation_detail(fields: list[str], json_invalid: bool, language: Language) -> str:
    if json_invalid:
        english = "The request body is not valid JSON."
    elif fields:
        english = "Invalid value for " + ", ".join(fields) + "."
    else:
        english = "The request is invalid."
    if language == "en":
        return english
    if fields and not json_invalid:
        return "以下字段的值无效：" + "、".join(fields) + "。"
    return detail("validation-failed", english, "zh") or english
