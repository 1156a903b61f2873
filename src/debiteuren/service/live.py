"""``bijwerken`` on the workbook open in Excel, as its button reports it.

Every use case takes the open book (:class:`~debiteuren.workbook.live.LiveBook`) as it takes a
file: the Excel buttons (:mod:`debiteuren.excel`) call the use cases themselves. Only the update
keeps a function here, which returns what the button shows (a status line, the notes of a
message box) with the figures the update computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.book import Assessment, Overview
from ..workbook.live import LiveBook
from .reports import Front, report
from .update import UpdateResult, update

__all__ = ["LiveUpdateResult", "update_live"]


@dataclass(frozen=True, slots=True)
class LiveUpdateResult:
    """What an update of the open book did, and what its button shows."""

    result: UpdateResult
    status: str
    notes: tuple[str, ...]

    @property
    def as_of(self) -> date:
        return self.result.as_of

    @property
    def assessment(self) -> Assessment:
        return self.result.assessment

    @property
    def overview(self) -> Overview:
        return self.result.overview

    @property
    def cells_changed(self) -> int:
        return self.result.cells_changed

    @property
    def tidied(self) -> tuple[str, ...]:
        return self.result.tidied


def update_live(live: LiveBook, as_of: date) -> LiveUpdateResult:
    """Recompute every invoice at ``as_of`` and write the results into the open book: the file
    update's pipeline (:func:`.update.update`), shown in the status bar as it goes."""
    result = update(live, as_of, progress=live.progress)
    shown = report(result, Front.EXCEL)
    return LiveUpdateResult(result=result, status=shown.status, notes=shown.notes)
