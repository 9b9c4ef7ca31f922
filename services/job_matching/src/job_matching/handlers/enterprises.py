"""Enterprises (用人单位): registration."""

from __future__ import annotations

from dataclasses import replace

from job_matching.adapters.repositories import Uow
from job_matching.domain import commands
from job_matching.domain.model import Enterprise
from suxin_common.errors import Conflict, RuleViolation
from suxin_common.regions import city_of


async def register_enterprise(uow: Uow, cmd: commands.RegisterEnterprise) -> Enterprise:
    if city_of(cmd.district_code) != cmd.city_code:
        raise RuleViolation("district_code is not in city_code", field="district_code")
    enterprise = Enterprise(
        uscc=cmd.uscc,
        name=cmd.name,
        city_code=cmd.city_code,
        district_code=cmd.district_code,
        industry_code=cmd.industry_code,
        size=cmd.size,
        specialized_sme=cmd.specialized_sme or cmd.little_giant,
        little_giant=cmd.little_giant,
        key_monitored=cmd.key_monitored,
    )
    async with uow:
        # Flags that unlock policy: as staff set them, or as the 工信/staff lists state them.
        listed = await uow.repos.enterprises.listed_flags(cmd.uscc)
        enterprise = replace(
            enterprise,
            specialized_sme=enterprise.specialized_sme
            or listed["specialized_sme"]
            or listed["little_giant"],
            little_giant=enterprise.little_giant or listed["little_giant"],
            key_monitored=enterprise.key_monitored or listed["key_monitored"],
        )
        if not await uow.repos.enterprises.add(enterprise):
            raise Conflict(f"enterprise {cmd.uscc} is already registered", extra={"uscc": cmd.uscc})
        await uow.commit()
    return enterprise
