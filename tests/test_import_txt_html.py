"""Plain text and HTML: text kept exactly, title/date/outlet/author guessed through page clutter."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

from sqlalchemy import select

from db.articles import article_record
from db.importing import import_paths
from db.importing.txt import find_date, find_outlet, find_title
from db.models import Article
from db.project import Project
from db.records import ArticleRecord

DATA = Path(__file__).parent / "data" / "import"


def only_article(project: Project) -> ArticleRecord:
    with project.read() as s:
        return article_record(s.scalars(select(Article)).one())


def test_bom_is_stripped_and_crlf_is_kept(project: Project, tmp_path: Path) -> None:
    body = "Harbour closed\r\n\r\nBy Ann Lee\r\n\r\nThe harbour closed at noon 🌊, officials said.\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(codecs.BOM_UTF8 + body.encode("utf-8"))
    assert import_paths(project, [path]).errors == []
    art = only_article(project)
    assert art.text == body
    assert art.title == "Harbour closed" and art.author == "Ann Lee"


def test_clutter_section_label_and_caption_are_not_the_title(project: Project) -> None:
    assert import_paths(project, [DATA / "harbor-clutter.txt"]).errors == []
    art = only_article(project)
    assert art.title == "Port authority halts night shipping after crane collapse in Marren Bay"
    assert art.outlet == "Harbor Times"
    assert art.author == "Jane Doe"
    assert art.published == dt.date(2023, 11, 9)
    assert art.text == (DATA / "harbor-clutter.txt").read_bytes().decode("utf-8")


def test_wire_credit_iso_date_and_copyright_outlet() -> None:
    civic = (DATA / "civic-wire.txt").read_text(encoding="utf-8")
    assert find_title(civic.splitlines()) == "Ferry operators warn of delays as strait talks stall"
    assert find_outlet(civic) == "Civic Wire"
    assert find_date(civic.splitlines()) == dt.date(2023, 11, 13)
    ledger = (DATA / "ledger.txt").read_text(encoding="utf-8")
    assert (
        find_title(ledger.splitlines())
        == "Council approves budget for coastal flood barriers after marathon session"
    )
    assert find_outlet(ledger) == "Northern Ledger"
    assert find_date(ledger.splitlines()) == dt.date(2024, 11, 1)
    assert find_outlet("Source: Evening Post\n\nText of the story.") == "Evening Post"
    assert find_date(["November 9, 2023"]) == dt.date(2023, 11, 9)


def test_no_credit_means_no_outlet_and_the_option_wins(project: Project, tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text(
        "Storm closes schools\n\nSchools across the district closed on Tuesday.\n", encoding="utf-8"
    )
    assert find_outlet(plain.read_text(encoding="utf-8")) is None
    assert (
        import_paths(project, [DATA / "ledger.txt"], outlet="Given Outlet", story="Flood barriers").errors
        == []
    )
    art = only_article(project)
    assert art.outlet == "Given Outlet" and art.story == "Flood barriers"


def test_html_text_and_metadata_come_from_the_page_without_scripts_or_navigation(project: Project) -> None:
    assert import_paths(project, [DATA / "coastal-herald.html"]).errors == []
    art = only_article(project)
    assert "More than forty trawlers returned to Skerry harbour" in art.text
    assert "tracking" not in art.text and "Home" not in art.text
    assert art.title == "Fishing fleet returns after storm warning lifted"
    assert art.outlet == "Coastal Herald"
    assert art.author == "Ruth Calder"
    assert art.published == dt.date(2024, 3, 2)


def test_entity_bomb_html_is_refused_quickly(project: Project, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html"
    refs = ["".join(f"&lol{i - 1};" for _ in range(10)) for i in range(1, 10)]
    lolz = "".join(f'<!ENTITY lol{i} "{ref}">' for i, ref in enumerate(refs, start=1))
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{lolz}]><html><body><p>&lol9;</p></body></html>',
        encoding="utf-8",
    )
    summary = import_paths(project, [bomb])
    assert "entities" in summary.errors[0].message
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><script>track()</script></body></html>", encoding="utf-8")
    assert "no article text" in import_paths(project, [empty]).errors[0].message


def test_folders_are_walked_recursively_in_order_taking_supported_files(
    project: Project, tmp_path: Path
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second\n\nThe second article text.", encoding="utf-8")
    (tmp_path / "1.txt").write_text("First\n\nThe first article text.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not an article", encoding="utf-8")
    seen: list[tuple[int, int, str]] = []
    summary = import_paths(project, [tmp_path], progress=lambda d, t, p: seen.append((d, t, Path(p).name)))
    assert [Path(f.path).name for f in summary.files] == ["1.txt", "2.txt"]
    assert seen == [(0, 2, "1.txt"), (1, 2, "2.txt"), (2, 2, "")]
    assert summary.articles_added == 2


def test_cancel_stops_between_files(project: Project, tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Title {i}\n\nBody number {i}.", encoding="utf-8")
    calls = iter([False, True])
    summary = import_paths(project, [tmp_path], cancel=lambda: next(calls))
    assert summary.cancelled and len(summary.files) == 1 and summary.articles_added == 1
