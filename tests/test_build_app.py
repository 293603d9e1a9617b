"""The standalone build: .ci/build-app builds the one-folder app and smoke-tests it.

The build takes minutes, so this runs only when NEWSMARK_TEST_BUILD=1.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("NEWSMARK_TEST_BUILD") != "1", reason="set NEWSMARK_TEST_BUILD=1 to build")
def test_the_built_app_starts_imports_and_exports(tmp_path):
    env = dict(os.environ)
    env.setdefault("NEWSMARK_BUILD_DIST", str(tmp_path / "dist"))
    env.setdefault("NEWSMARK_BUILD_WORK", str(tmp_path / "build"))
    env.setdefault("NEWSMARK_BUILD_SKIP_INSTALL", "1")  # the test environment has the dependencies
    done = subprocess.run(
        ["bash", str(ROOT / ".ci" / "build-app")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "build-app: all smoke tests passed" in done.stdout
