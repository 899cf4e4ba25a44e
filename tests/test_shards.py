"""Batches over machines and workers: --shard partitions exactly and stably, shard manifests
merge into the unsharded one, and each distinct chart is drawn once per batch."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from yamldeck.cli import main

OUTLINE = """\
title: 支店別レビュー
charts:
  sales: {kind: bar, data: {月: [4月, 5月], 売上: [10, 12]}, x: 月, y: 売上}
  share: {kind: line, data: {月: [4月, 5月], 比率: [40, 45]}, x: 月, y: 比率}
  cost: {kind: barh, data: {費目: [材料, 人件], 金額: [5, 3]}, x: 費目, y: 金額}
slides:
  - {title: 売上, chart: sales}
  - {title: 比率, chart: share}
  - {title: 費用, chart: cost, tags: [full]}
"""

PROJECT = """\
decks:
  - outline: deck.yaml
    output: build/{stem}-{branch}-{month}.pptx
    matrix:
      branch: [{name: tokyo}, {name: osaka}, {name: nagoya, skip: [full]}]
      month: [{name: apr, set: {subtitle: 4月}}, {name: may, set: {subtitle: 5月}},
              {name: jun, set: {subtitle: 6月}}, {name: jul, set: {subtitle: 7月}}]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    (tmp_path / "yamldeck.yaml").write_text(PROJECT, encoding="utf-8")
    return tmp_path


def run(folder: Path, *args: str):
    old = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def manifest(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def outputs(data: dict) -> list[str]:
    return [d["output"] for d in data["decks"]]


def comparable(data: dict) -> dict:
    """A manifest without what differs from run to run (timings, cache hits)."""
    decks = [{k: v for k, v in d.items() if k not in ("timings", "charts")}
             for d in data["decks"]]
    return {**{k: v for k, v in data.items() if k != "decks"}, "decks": decks}


def test_shards_partition_the_batch_exactly_and_stably(project: Path):
    assert run(project, "build", "-q", "-j", "1", "--manifest", "all.json").exit_code == 0
    everything = outputs(manifest(project / "all.json"))
    assert len(everything) == 12
    parts = []
    for k in (1, 2, 3):
        result = run(project, "build", "-q", "--shard", f"{k}/3", "--cache", f"c{k}",
                     "--force", "--manifest", f"s{k}.json")
        assert result.exit_code == 0, result.output
        parts.append(outputs(manifest(project / f"s{k}.json")))
    assert sorted(sum(parts, [])) == sorted(everything)  # none missing, none twice
    again = [outputs(manifest(project / f"s{k}.json")) for k in (1, 2, 3)]
    for k in (1, 2, 3):  # the same split on a second run (a second machine)
        assert run(project, "build", "-q", "--shard", f"{k}/3", "--cache", f"d{k}",
                   "--force", "--manifest", f"t{k}.json").exit_code == 0
    assert [outputs(manifest(project / f"t{k}.json")) for k in (1, 2, 3)] == again


def test_the_split_does_not_depend_on_where_the_checkout_is(project: Path, tmp_path_factory):
    import shutil

    other = tmp_path_factory.mktemp("elsewhere") / "checkout"
    shutil.copytree(project, other)
    for folder in (project, other):
        assert run(folder, "build", "-q", "--shard", "1/3", "--manifest", "s.json").exit_code == 0
    names = [[Path(o).name for o in outputs(manifest(f / "s.json"))] for f in (project, other)]
    assert names[0] == names[1]
    assert manifest(project / "s.json")["batch"] == manifest(other / "s.json")["batch"]


def test_merged_shard_manifests_equal_the_unsharded_manifest(project: Path):
    assert run(project, "build", "-q", "--manifest", "all.json").exit_code == 0
    for k in (1, 2):
        assert run(project, "build", "-q", "--shard", f"{k}/2",
                   "--manifest", f"s{k}.json").exit_code == 0
    result = run(project, "merge-manifests", "s2.json", "s1.json", "-o", "merged.json")
    assert result.exit_code == 0, result.output
    merged, whole = manifest(project / "merged.json"), manifest(project / "all.json")
    # The shard runs found the decks up to date: statuses differ, the rest must not.
    for data in (merged, whole):
        for deck in data["decks"]:
            deck.pop("status")
    assert comparable(merged) == comparable(whole)
    # A shard missing, or one given twice, is refused.
    assert run(project, "merge-manifests", "s1.json", "-o", "m.json").exit_code == 1
    assert run(project, "merge-manifests", "s1.json", "s1.json", "-o", "m.json").exit_code == 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_distinct_chart_is_drawn_once_per_batch(project: Path, jobs: str):
    result = run(project, "build", "-q", "-j", jobs, "--manifest", "m.json")
    assert result.exit_code == 0, result.output
    decks = manifest(project / "m.json")["decks"]
    drawn = sum(d["charts"]["rendered"] for d in decks)
    used = sum(d["charts"]["rendered"] + d["charts"]["cached"] for d in decks)
    assert drawn == 3 and used == 12 * 3 - 4  # nagoya skips the cost chart
    result = run(project, "build", "-q", "-j", jobs, "--force", "--manifest", "f.json")
    assert result.exit_code == 0, result.output
    assert sum(d["charts"]["rendered"] for d in manifest(project / "f.json")["decks"]) == 3


@pytest.mark.parametrize("spec", ["0/3", "4/3", "1/0", "a/b", "1"])
def test_bad_shard_is_a_usage_error(project: Path, spec: str):
    result = run(project, "build", "--shard", spec)
    assert result.exit_code == 2 and "--shard" in result.output
    assert not (project / "build").exists()
