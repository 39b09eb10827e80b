"""The import direction holds: pages → components → state → services → models/storage/imaging,
and the core never imports Reflex."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from mediashare.settings import PROJECT_ROOT

LINT_IMPORTS = str(Path(os.sys.executable).parent / "lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(root)},
    )


def test_import_contracts_are_kept() -> None:
    result = _lint(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_a_service_importing_reflex_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / "mediashare", tmp_path / "mediashare",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    bad = tmp_path / "mediashare" / "services" / "leaky.py"
    bad.write_text("import reflex\nfrom mediashare.state import session\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "mediashare.services.leaky -> reflex" in result.stdout


def test_page_titles_follow_the_site_name() -> None:
    """A title written as text ("Album · MediaShare") would keep the old name after an admin renames
    the site; every page builds it with `page_title`, which reads the live brand name."""
    import re

    written = [f"{path.name}:{number}" for path in sorted((PROJECT_ROOT / "mediashare" / "pages").glob("*.py"))
               for number, line in enumerate(path.read_text().splitlines(), 1)
               if re.search(r"""title=["'][^"']*MediaShare""", line)]
    assert written == []
