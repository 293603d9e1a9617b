"""``newsmark import`` and ``newsmark stats``: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "import"
DEMO = ROOT / "resources" / "demo" / "demo.jsonl"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_import_creates_the_project_and_prints_a_line_per_file_and_a_total(tmp_path: Path) -> None:
    project = tmp_path / "new.newsmark"
    done = run_cli("import", str(project), str(DEMO), str(DATA / "ledger.txt"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith(f"{DEMO} [jsonl]: 5 article(s) added")
    assert "58 span(s) added" in lines[0] and "36 link(s) added" in lines[0]
    assert lines[1].startswith(f"{DATA / 'ledger.txt'} [txt]: 1 article(s) added")
    assert lines[-1].startswith("total: 2 file(s) imported, 0 failed; 6 article(s) added")
    assert project.exists() and done.stderr == ""


def test_a_bad_file_exits_1_after_importing_the_good_ones_with_one_line_per_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": 3}\n', encoding="utf-8")
    project = tmp_path / "p.newsmark"
    done = run_cli("import", str(project), str(bad), str(DATA / "ledger.txt"))
    assert done.returncode == 1
    assert done.stderr == f'newsmark: {bad}, line 2: "text" must be a string, not a number\n'
    assert "Traceback" not in done.stderr
    assert "total: 1 file(s) imported, 1 failed; 1 article(s) added" in done.stdout


def test_import_options_reach_the_importer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.newsmark"
    code = main(
        [
            "import",
            str(project),
            str(DATA / "doccano.jsonl"),
            "--map-label",
            "Denial=CLAIM",
            "--annotator",
            "ana",
        ]
    )
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["stats", str(project), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["spans_per_label"]["CLAIM"] == {"ana": 3}
    assert stats["links_per_type"]["CONTRADICTS"] == 1


def test_unknown_labels_exit_1_naming_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import", str(tmp_path / "p.newsmark"), str(DATA / "doccano.jsonl")])
    err = capsys.readouterr().err
    assert code == 1 and "'Denial'" in err and err.count("\n") == 1
    code = main(["import", str(tmp_path / "p.newsmark"), str(DATA / "doccano.jsonl"), "--add-labels"])
    assert code == 0 and "added to the schema: DENIAL" in capsys.readouterr().out


def test_bad_arguments_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tmp_path / "p.newsmark"), str(DEMO), "--map-label", "nonsense"]) == 1
    assert capsys.readouterr().err == "newsmark: --map-label takes OLD=NEW, not 'nonsense'.\n"
    assert main(["import", str(tmp_path / "p.newsmark"), str(tmp_path)]) == 1
    assert "no files to import" in capsys.readouterr().err
    assert main(["stats", str(tmp_path / "missing.newsmark")]) == 1
    assert "no such project" in capsys.readouterr().err
    assert not (tmp_path / "missing.newsmark").exists()


def test_stats_prints_outlets_labels_by_annotator_and_link_types(tmp_path: Path) -> None:
    project = tmp_path / "p.newsmark"
    assert run_cli("import", str(project), str(DEMO)).returncode == 0
    done = run_cli("stats", str(project))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("p: 5 article(s), 58 span(s), 36 link(s), 1 story(ies)")
    assert "Articles per outlet" in out and "  Civic Wire" in out
    label_lines = {
        line.split()[0]: line.split()[1:]
        for line in out.splitlines()
        if line.startswith("  ") and line.split()
    }
    assert label_lines["CLAIM"] == ["20"] and label_lines["SOURCE_OF"] == ["25"]
