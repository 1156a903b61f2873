"""Turn .docx letters into PDFs with LibreOffice: in batches, one instance per core.

LibreOffice converts a list of files in one call, but version 7.4 silently stops after about 245
files and still exits 0; so a run is split into batches of at most :data:`MAX_BATCH` files.
Where the machine has more than one core, several instances convert at the same time, each
with its own private profile (two instances cannot share one), and takes the next batch when it
is done with one. LibreOffice converts a lean copy of each letter (:mod:`.lean`: without the
styles the letter never uses, half of LibreOffice's time per letter); the PDF looks the same.
Every expected PDF is checked (present and not empty) before the call returns: a missing one
is a :class:`~debiteuren.letters.render.ConversionError`, so nothing is logged for a letter
whose PDF does not exist.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Lock

from debiteuren.errors import DebiteurenError
from debiteuren.workers import cpu_count

from .lean import lean_copy

__all__ = [
    "MAX_BATCH",
    "MIN_PER_INSTANCE",
    "ConversionError",
    "batches",
    "convert",
    "cpu_count",
    "fallback_font",
    "join",
    "soffice_command",
]

#: Files per LibreOffice call (7.4 converts only about 245 and exits 0).
MAX_BATCH = 200
#: Files an extra instance must get before it is worth its start (one to two seconds).
MIN_PER_INSTANCE = 20


class ConversionError(DebiteurenError):
    """LibreOffice did not turn a letter into a PDF."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"Omzetten naar pdf mislukt: {problem}")


def batches(count: int, instances: int, max_batch: int | None = None) -> list[range]:
    """Split ``count`` files into consecutive batches for ``instances`` LibreOffice instances.

    There are at least as many batches as needed to keep each at most ``max_batch`` files, and
    a multiple of the instances in use, so that the instances finish together; an instance is
    used only when it gets at least :data:`MIN_PER_INSTANCE` files.

    >>> [len(b) for b in batches(450, 1)]
    [150, 150, 150]
    >>> [len(b) for b in batches(1000, 2)]
    [167, 167, 167, 167, 166, 166]
    >>> [len(b) for b in batches(4, 2)]
    [4]
    """
    if count <= 0:
        return []
    max_batch = max_batch or MAX_BATCH
    used = max(1, min(instances, count // MIN_PER_INSTANCE))
    needed = -(-count // max_batch)
    number = -(-needed // used) * used
    size, extra = divmod(count, number)
    out, start = [], 0
    for k in range(number):
        end = start + size + (1 if k < extra else 0)
        out.append(range(start, end))
        start = end
    return [b for b in out if len(b)]


def convert(
    soffice: str,
    docx_paths: Sequence[Path],
    outdir: Path,
    *,
    timeout: float = 600,
    instances: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Path]:
    """Convert letters to PDF with the LibreOffice program ``soffice``.

    Args:
      soffice: the LibreOffice program.
      docx_paths: the .docx files; their names (without folder) must differ.
      outdir: where the PDFs go (``<name>.pdf``); created when missing.
      timeout: seconds to wait for one batch.
      instances: LibreOffice instances side by side; default one per core.
      progress: called with ("PDF maken", files done, total) after each batch.
    Returns:
      The PDF paths in the order of ``docx_paths``. Raises :class:`ConversionError` when a PDF
      was not made or is empty; no PDF of this call is then left behind.
    """
    paths = [Path(p).resolve() for p in docx_paths]
    if not paths:
        return []
    stems = [p.stem for p in paths]
    seen: set[str] = set()
    doubles = sorted({s for s in stems if s in seen or seen.add(s)})
    if doubles:
        raise ConversionError(f"meer brieven met dezelfde naam: {', '.join(doubles)}")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{stem}.pdf" for stem in stems]
    for target in targets:
        target.unlink(missing_ok=True)
    parts = batches(len(paths), instances or cpu_count())
    used = min(len(parts), max(1, instances or cpu_count()))
    done, lock, details, cache, failed = 0, Lock(), [], {}, []
    queue = iter(parts)  # an instance that finishes early takes the next batch

    def work(scratch: Path) -> None:
        nonlocal done
        with tempfile.TemporaryDirectory(prefix="debiteuren-lo-") as profile:
            while not failed:
                with lock:
                    part = next(queue, None)
                if part is None:
                    return
                files = [_lean(paths[k], scratch, cache) for k in part]
                try:
                    detail = _run_batch(soffice, Path(profile), files, outdir, timeout)
                except BaseException:
                    failed.append(True)  # the other instances stop after their batch
                    raise
                finally:
                    for file in files:
                        if file.parent == scratch:
                            file.unlink(missing_ok=True)
                with lock:
                    details.append(detail)
                    done += len(part)
                    if progress:
                        progress("PDF maken", done, len(paths))

    try:
        with tempfile.TemporaryDirectory(prefix="debiteuren-pdf-") as scratch:
            if used == 1:
                work(Path(scratch))
            else:
                with ThreadPoolExecutor(max_workers=used) as pool:
                    futures = [pool.submit(work, Path(scratch)) for _ in range(used)]
                    for future in futures:
                        future.result()
        missing = [t.name for t in targets if not t.is_file() or t.stat().st_size == 0]
        if missing:
            shown = ", ".join(missing[:10]) + (
                f" en nog {len(missing) - 10}" if len(missing) > 10 else ""
            )
            detail = next((d for d in details if d), "")
            tail = f" ({detail})" if detail else ""
            raise ConversionError(f"geen pdf gemaakt voor {shown}{tail}")
    except BaseException:
        for target in targets:
            target.unlink(missing_ok=True)
        raise
    return targets


def join(pdfs: Sequence[Path], target: Path, title: str = "") -> None:
    """Write the PDFs ``pdfs`` one after the other into the one PDF ``target`` (titled
    ``title``, else its file name).

    This is how the print file gets its PDF: from the letters' own PDFs, a second or two for a
    thousand letters, where LibreOffice needs minutes for the merged .docx (its time grows with
    the square of the pages). Each letter keeps its own pages, so its footer counts its own
    pages ("Pagina 1 van 2"). Raises :class:`ConversionError` when a PDF cannot be read.
    """
    try:
        from pypdf import PdfWriter
        from pypdf.errors import PyPdfError
    except ImportError:  # an installation from before pypdf was a dependency
        raise ConversionError("pypdf is niet geïnstalleerd") from None
    writer = PdfWriter()
    try:
        for pdf in pdfs:
            writer.append(str(pdf), import_outline=False)
        writer.add_metadata({"/Title": title or Path(target).stem, "/Creator": "debiteuren"})
        writer.write(str(target))
    except (PyPdfError, OSError, ValueError) as error:
        raise ConversionError(f"afdrukbestand niet samengevoegd ({error})") from None


def fallback_font(pdf: Path) -> str:
    """Return the font LibreOffice set ``pdf`` in for want of the letters' own, or "".

    The letter templates ask for Calibri; LibreOffice takes Carlito (the same widths) in its
    place, and where neither is installed (Debian's libreoffice-writer only suggests
    fonts-crosextra-carlito) its last resort, DejaVu Sans, which is much wider: the letter's
    tables then break their headers and amounts inside a word ('Hoofdso m', '€ 1.331,0 0').
    The fonts of the first page tell; a user's template in another font (Arial: Liberation
    Sans) is no fallback.

    Returns:
      The DejaVu font's name as embedded (``DejaVuSans``); "" when the PDF is set in Calibri
      or Carlito, names no DejaVu font, or cannot be read.
    """
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        resources = PdfReader(str(pdf)).pages[0].get("/Resources") or {}
        fonts = resources.get_object().get("/Font") or {}
        names = [str(f.get_object().get("/BaseFont", "")) for f in fonts.get_object().values()]
    except (ImportError, PyPdfError, OSError, ValueError, KeyError, IndexError, AttributeError):
        return ""
    families = sorted({n.lstrip("/").split("+")[-1].split("-")[0] for n in names if n})
    if any(f.startswith(("Calibri", "Carlito")) for f in families):
        return ""
    return next((f for f in families if f.startswith("DejaVu")), "")


def soffice_command(soffice: str, profile: Path, paths: Sequence[Path], outdir: Path) -> list[str]:
    """Return the LibreOffice call that converts ``paths`` to PDF in ``outdir``, headless,
    with the private profile folder ``profile``."""
    return [
        soffice,
        f"-env:UserInstallation={Path(profile).as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *map(str, paths),
    ]


def _lean(path: Path, scratch: Path, cache: dict) -> Path:
    """Return the file to convert for ``path``: its lean copy in ``scratch`` (see
    :mod:`.lean`), or ``path`` itself when it cannot be made leaner."""
    copy = scratch / f"{path.stem}.docx"
    return copy if lean_copy(path, copy, cache) else path


def _run_batch(soffice: str, profile: Path, paths: list[Path], outdir: Path, timeout: float) -> str:
    """Convert one batch in one LibreOffice call; return the last line it wrote on stderr."""
    command = soffice_command(soffice, profile, paths, outdir)
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise ConversionError(f"LibreOffice reageerde niet binnen {timeout:.0f} seconden") from None
    lines = (result.stderr or result.stdout or "").strip().splitlines()
    return lines[-1] if lines else ""
