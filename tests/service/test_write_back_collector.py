"""The write-back lets the cycle collector run less often, and puts it back as it was."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest

from debiteuren.service import pipeline


def test_the_collector_runs_less_often_during_a_write_back_and_is_put_back(monkeypatch):
    before = gc.get_threshold()
    seen = []

    def place(*args, **kwargs):
        seen.append(gc.get_threshold())
        raise pipeline.Refused([])

    monkeypatch.setattr(pipeline, "place", place)
    loaded = SimpleNamespace(tables={})
    with pytest.raises(pipeline.Refused):
        pipeline.write_back(loaded, None, None)  # type: ignore[arg-type]
    assert seen == [(max(before[0], pipeline._YOUNG_OBJECTS), *before[1:])]
    assert gc.get_threshold() == before
