"""The kit's one outage test: the web layer (503) and the subscription runner (retry without
using up deliveries) both ask suxin_common.db.database_unreachable."""

from __future__ import annotations

import asyncpg
import sqlalchemy as sa

from suxin_common import web
from suxin_common.db import database_unreachable
from suxin_common.messaging import runner


def _wrapped(orig: BaseException) -> sa.exc.DBAPIError:
    return sa.exc.DBAPIError("SELECT 1", {}, orig)


def test_connection_errors_anywhere_in_the_chain_mean_the_database_is_down():
    assert database_unreachable(ConnectionRefusedError())
    assert database_unreachable(_wrapped(asyncpg.CannotConnectNowError("starting up")))
    try:
        try:
            raise asyncpg.AdminShutdownError("terminating connection")
        except asyncpg.AdminShutdownError as inner:
            raise RuntimeError("handler failed") from inner
    except RuntimeError as outer:
        assert database_unreachable(outer)
    invalidated = _wrapped(ValueError("x"))
    invalidated.connection_invalidated = True
    assert database_unreachable(invalidated)


def test_a_cause_behind_a_context_is_still_found():
    # The web layer's copy followed only the first of cause/context and missed this one.
    err = RuntimeError("outer")
    err.__cause__ = ValueError("a bug of ours")
    err.__context__ = asyncpg.ConnectionDoesNotExistError("connection lost")
    assert database_unreachable(err)


def test_bugs_and_bad_data_are_not_an_outage():
    assert not database_unreachable(ValueError("bad"))
    assert not database_unreachable(_wrapped(asyncpg.UniqueViolationError("duplicate")))
    cyclic = RuntimeError("a")
    cyclic.__context__ = RuntimeError("b")
    cyclic.__context__.__context__ = cyclic
    assert not database_unreachable(cyclic)


def test_web_and_runner_use_the_one_test():
    assert web.database_unreachable is database_unreachable
    assert runner.database_unreachable is database_unreachable
