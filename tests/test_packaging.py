"""The package ships every data file it reads (templates, static files, the knowledge base):
an install that is not editable would otherwise start without them."""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "heelcheck"


def test_package_data_patterns_cover_every_data_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["heelcheck"]
    shipped = {
        Path(found)
        for pattern in patterns
        for found in glob.glob(str(PACKAGE / pattern), recursive=True)  # setuptools' rule
    }
    data_files = {
        path
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    assert data_files, "no data files found: wrong package path?"
    missing = sorted(str(path.relative_to(PACKAGE)) for path in data_files - shipped)
    assert not missing, f"pyproject.toml's package-data does not ship: {missing}"
