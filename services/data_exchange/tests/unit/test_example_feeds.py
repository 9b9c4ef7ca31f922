"""The example feed files (examples/feeds/, also the demo's day of feeds) are what the demo
generator writes, match their manifests, and every row is valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from data_exchange.adapters import files
from data_exchange.domain.departments import FeedKind
from data_exchange.domain.feeds import FEEDS
from data_exchange.domain.manifest import parse_manifest
from data_exchange.domain.rows import Row
from suxin_devkit.devstack import demo_feeds

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "feeds"
FEEDS_OF_DAY = demo_feeds.build(demo_feeds.EXAMPLE_DAY)


def test_the_examples_are_the_generated_day_of_feeds():
    on_disk = sorted(p.name for p in EXAMPLES.iterdir())
    generated = sorted(
        name for f in FEEDS_OF_DAY for name in (f"{f.name}.{f.format}", f"{f.name}.manifest.json")
    )
    assert on_disk == generated, "run: python -m suxin_devkit.devstack.demo_feeds examples/feeds"
    for feed in FEEDS_OF_DAY:
        assert (EXAMPLES / f"{feed.name}.{feed.format}").read_bytes() == feed.data
        manifest = json.loads((EXAMPLES / f"{feed.name}.manifest.json").read_text("utf-8"))
        assert manifest == feed.manifest()


def test_every_feed_kind_has_an_example():
    assert {FeedKind(f.feed) for f in FEEDS_OF_DAY} == set(FeedKind)


@pytest.mark.parametrize("feed", FEEDS_OF_DAY, ids=lambda f: f.name)
def test_every_example_row_is_valid_and_the_manifest_matches(feed):
    manifest = parse_manifest(feed.manifest())
    path = EXAMPLES / f"{feed.name}.{feed.format}"
    facts = files.inspect(path, manifest.format)
    assert (facts.sha256, facts.rows) == (manifest.sha256, manifest.rows)
    spec = FEEDS[manifest.feed]
    for row_no, raw in files.rows(path, manifest.format):
        row = Row(raw, row_no, lambda rid: "pk_" + "0" * 32)
        assert set(raw) <= spec.column_names
        assert spec.parse(row, manifest.department) is not None, row.errors


def test_the_documented_feed_formats_are_the_code():
    from data_exchange import feed_docs

    doc = (EXAMPLES.parents[1] / "docs" / "data-exchange.md").read_text("utf-8")
    generated = doc.split(feed_docs.BEGIN, 1)[1].split(feed_docs.END, 1)[0]
    assert generated.strip() == feed_docs.markdown().strip(), (
        "run: python -m data_exchange.feed_docs docs/data-exchange.md"
    )
