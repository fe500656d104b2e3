"""A translated document → the reader's editions: the bilingual Markdown, the HTML edition and
the pictures both show, from one view (:func:`edition.render.view.edition_view`).

The pictures are cropped from the source PDF (:mod:`edition.render.figures`) into
``<stem>.assets/`` beside the editions; a figure whose picture cannot be rendered is said so
where it stands, in the QA report and on stderr, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Node
from .figures import assets_dir, figure_assets
from .html import view_to_html
from .markdown import view_to_markdown
from .view import Finding, Image, edition_view


def html_name(stem: str) -> str:
    """The HTML edition's file name."""
    return f"{stem}.html"


@dataclass(frozen=True)
class Edition:
    """What the renderers give for one document: the Markdown and HTML texts, the pictures
    (file name relative to the output folder → bytes), and what could not be rendered (as QA
    findings and as one-line warnings)."""

    markdown: str
    html: str
    assets: dict[str, bytes] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    @property
    def warnings(self) -> list[str]:
        return [q.message for q in self.findings]


def render_edition(doc: Node, source: Path, stem: str, password: str | None = None, cache_dir: Path | None = None,
                   cache_max_bytes: int = 0) -> Edition:
    """The Markdown and HTML editions of a translated document, with the pictures of its figures."""
    assets, problems = figure_assets(doc, source, stem, password, cache_dir, cache_max_bytes)
    # the editions link their pictures relative to their own folder ("a/report" lives in a/)
    folder = stem.rpartition("/")[0]
    local = (lambda n: n[len(folder) + 1:]) if folder else (lambda n: n)
    images = {fig: tuple(Image(local(a.name), a.width, a.height, a.page) for a in fig_assets) for fig, fig_assets in assets.items()}
    view = edition_view(doc, images, problems)
    findings = tuple(Finding("figure-not-rendered", f"{fig}: the picture could not be rendered — {why}") for fig, why in sorted(problems.items()))
    files = {a.name: a.data for fig_assets in assets.values() for a in fig_assets}
    return Edition(view_to_markdown(view), view_to_html(view), files, findings)


def is_asset_of(name: str, stem: str) -> bool:
    """Is ``name`` (relative to the output folder) a picture of the document ``stem``?"""
    return name.startswith(assets_dir(stem) + "/")


def output_files(out_dir: Path, skip: set[str] = frozenset()) -> list[str]:
    """The files an output folder holds, relative to it with forward slashes, in its subfolders
    too (a document named "a/report" writes to a/): the editions and the pictures in the
    documents' assets folders (hidden files aside; the assets of the documents in ``skip`` too)."""
    skipped = tuple(assets_dir(name) + "/" for name in skip)
    out = []
    for f in sorted(out_dir.rglob("*")):
        rel = f.relative_to(out_dir).as_posix()
        if f.is_file() and not any(part.startswith(".") for part in rel.split("/")) and not rel.startswith(skipped):
            out.append(rel)
    return out


def stale_assets(out_dir: Path, stem: str, produced: set[str]) -> list[Path]:
    """Pictures in the document's assets folder that its edition no longer shows."""
    folder = out_dir / assets_dir(stem)
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".") and f"{assets_dir(stem)}/{p.name}" not in produced]
