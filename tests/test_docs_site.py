"""The documentation site builds with `mkdocs build --strict` (no broken link or anchor, no
absolute link, no page outside the navigation), and what it builds works offline: every page
loads its scripts, styles and images from the site itself, and search has its index inlined."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import needed

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    needed("mkdocs")
    needed("material")
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "HOME": str(out)},
    )
    assert done.returncode == 0, done.stderr
    return out


def _nav_pages(nav: list) -> list[str]:
    found = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        found += _nav_pages(value) if isinstance(value, list) else [value]
    return found


def test_every_page_is_in_the_navigation_once() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = _nav_pages(config["nav"])
    assert sorted(nav) == sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert nav[0] == "index.md"


def test_the_site_builds_strictly_and_works_offline(site: Path) -> None:
    pages = sorted(p for p in site.glob("*.html") if p.name != "404.html")  # 404: only for a served site
    assert {p.stem for p in pages} >= {p.stem for p in (ROOT / "docs").glob("*.md")}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        loads = re.findall(r'<(?:script|img)[^>]*\ssrc="([^"]+)"|<link[^>]*\shref="([^"]+)"', html)
        for url in filter(None, (a or b for a, b in loads)):
            assert not re.match(r"(https?:)?//", url), f"{page.name} loads {url} from the network"
            assert (page.parent / url.split("#")[0].split("?")[0]).exists(), f"{page.name}: {url} is not in the site"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    assert (site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = ")
    assert (site / "inspector.png").is_file()


def test_the_readme_links_to_files_that_exist() -> None:
    """MkDocs checks the site's links; the README (not part of the site) links into docs/ relatively,
    which GitHub follows: each target must exist, and each #anchor must be a heading of that page."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert len([link for link in links if link.startswith("docs/")]) >= 10
    for link in links:
        if re.match(r"[a-z]+:", link):
            continue
        target, _, anchor = link.partition("#")
        assert (ROOT / target).exists(), f"README.md links to {target}, which does not exist"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", (ROOT / target).read_text(encoding="utf-8"), flags=re.M)
            slugs = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}
            assert anchor in slugs, f"README.md links to {link}: no such heading"
