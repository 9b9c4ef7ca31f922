"""Validation problems speak the client's language: enum values, never Python reprs."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from fastapi import FastAPI
from fastapi.testclient import TestClient

from suxin_common.web import InputModel, install_problem_handlers


class Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class StatusIn(InputModel):
    status: Literal[Status.OPEN, Status.CLOSED]


def test_a_literal_of_enum_members_is_refused_with_the_values() -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/status")
    async def change(body: StatusIn) -> dict:
        return {}

    response = TestClient(app).post("/status", json={"status": "draft"})

    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert "'open'" in message and "'closed'" in message
    assert "Status." not in response.text and "<" not in message
