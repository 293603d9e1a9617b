"""Undo commands: one service call each, committed before the stack shows them, safe when they fail."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from db.links import add_link, links_for_articles
from db.spans import add_span, delete_span, get_span, spans_for_article
from desktop.project_events import ProjectEvents
from desktop.undo_commands import (
    AddLinkCommand,
    AddSpanCommand,
    DeleteLinkCommand,
    DeleteSpanCommand,
    MoveSpanCommand,
    RelabelSpanCommand,
    RetypeLinkCommand,
    SetLinkNoteCommand,
    SetSpanNoteCommand,
    push_command,
    quote,
)
from tests.reader_helpers import ARTICLE, add_text


@pytest.fixture
def setup(qapp, project):  # type: ignore[no-untyped-def]
    events = ProjectEvents()
    heard: list[tuple] = []
    events.spanUpdated.connect(lambda s: heard.append(("updated", s.id)))
    events.spanRemoved.connect(lambda a, s: heard.append(("removed", s)))
    events.linksChanged.connect(lambda ids: heard.append(("links", tuple(ids))))
    events.commandFailed.connect(lambda msg: heard.append(("failed", msg)))
    return project, events, QUndoStack(), add_text(project), heard


def span_at(project, article_id, words, label="CLAIM", annotator="alice"):  # type: ignore[no-untyped-def]
    i = ARTICLE.index(words)
    return add_span(project, article_id, i, i + len(words), label, annotator)


def test_add_span_commits_before_the_stack_shows_it_and_keeps_its_id_across_undo(setup):
    project, events, stack, article_id, heard = setup
    seen_in_db = []
    events.spanUpdated.connect(lambda s: seen_in_db.append(get_span(project, s.id).text))
    command = AddSpanCommand(
        project,
        events,
        article_id,
        0,
        12,
        "ATTRIBUTION",
        "alice",
        label_name="Attribution",
        quote_text="Blinken said",
    )
    assert push_command(stack, command)
    assert seen_in_db == ["Blinken said"]
    assert stack.undoText() == "Label “Blinken said” as Attribution"
    span = spans_for_article(project, article_id)[0]
    stack.undo()
    assert spans_for_article(project, article_id) == []
    stack.redo()
    again = spans_for_article(project, article_id)[0]
    assert (again.id, again.uid) == (span.id, span.uid)
    assert heard == [("updated", span.id), ("removed", span.id), ("updated", span.id)]


def test_delete_span_undo_restores_links(setup):
    project, events, stack, article_id, heard = setup
    claim = span_at(project, article_id, "the missiles were never armed")
    source = span_at(project, article_id, "according to a spokesman", "ATTRIBUTION")
    link = add_link(project, source.id, claim.id, "SOURCE_OF", "alice")
    assert push_command(stack, DeleteSpanCommand(project, events, claim, label_name="Claim"))
    assert stack.undoText() == "Delete Claim “the missiles were never armed”"
    assert links_for_articles(project, [article_id]) == []
    stack.undo()
    assert [x.uid for x in links_for_articles(project, [article_id])] == [link.uid]
    assert get_span(project, claim.id).uid == claim.uid
    assert ("links", (article_id,)) in heard


def test_relabel_and_note_round_trip(setup):
    project, events, stack, article_id, _ = setup
    span = span_at(project, article_id, "Blinken said", "CLAIM")
    push_command(stack, RelabelSpanCommand(project, events, span, "ATTRIBUTION", label_name="Attribution"))
    push_command(stack, SetSpanNoteCommand(project, events, span, "on the record"))
    assert get_span(project, span.id).label == "ATTRIBUTION"
    assert get_span(project, span.id).note == "on the record"
    assert stack.undoText() == "Edit note on “Blinken said”"
    stack.undo()
    assert get_span(project, span.id).note is None
    stack.undo()
    assert get_span(project, span.id).label == "CLAIM"
    stack.redo()
    assert stack.undoText() == "Relabel “Blinken said” as Attribution"


def test_repeated_moves_of_one_span_merge_and_a_move_back_leaves_nothing_to_undo(setup):
    project, events, stack, article_id, _ = setup
    span = span_at(project, article_id, "talks would")
    start, end = span.start, span.end
    push_command(stack, MoveSpanCommand(project, events, span, start - 4, end))
    push_command(stack, MoveSpanCommand(project, events, get_span(project, span.id), start - 4, end + 7))
    assert stack.count() == 1
    assert stack.undoText() == "Resize span to “the talks would resume”"
    stack.undo()
    assert (get_span(project, span.id).start, get_span(project, span.id).end) == (start, end)
    stack.redo()
    push_command(stack, MoveSpanCommand(project, events, get_span(project, span.id), start, end))
    assert stack.count() == 0  # nudged back where it was: the merged step is obsolete
    assert get_span(project, span.id).text == "talks would"


def test_link_commands_round_trip(setup):
    project, events, stack, article_id, heard = setup
    a = span_at(project, article_id, "Blinken said", "ATTRIBUTION")
    b = span_at(project, article_id, "talks would resume next week", "CLAIM")
    add = AddLinkCommand(project, events, a, b, "SOURCE_OF", "alice", type_name="Source of")
    assert push_command(stack, add)
    assert stack.undoText() == "Link “Blinken said” → “talks would resume next…” (Source of)"
    link = links_for_articles(project, [article_id])[0]
    push_command(stack, RetypeLinkCommand(project, events, link, "SUPPORTS", type_name="Supports"))
    push_command(stack, SetLinkNoteCommand(project, events, link, "weak"))
    current = links_for_articles(project, [article_id])[0]
    assert (current.type, current.note) == ("SUPPORTS", "weak")
    push_command(stack, DeleteLinkCommand(project, events, current, type_name="Supports"))
    assert links_for_articles(project, [article_id]) == []
    for _ in range(4):
        stack.undo()
    assert links_for_articles(project, [article_id]) == []
    for _ in range(4):
        stack.redo()
    assert links_for_articles(project, [article_id]) == []
    stack.undo()
    restored = links_for_articles(project, [article_id])[0]
    assert (restored.id, restored.uid, restored.type, restored.note) == (
        link.id,
        link.uid,
        "SUPPORTS",
        "weak",
    )
    assert heard.count(("links", (article_id,))) == 13


def test_a_failing_call_reports_and_leaves_the_stack_unchanged(setup):
    project, events, stack, article_id, heard = setup
    span = span_at(project, article_id, "Blinken said")
    push_command(stack, SetSpanNoteCommand(project, events, span, "first"))
    delete_span(project, span.id)
    assert not push_command(stack, RelabelSpanCommand(project, events, span, "FACT"))
    assert (stack.count(), stack.index()) == (1, 1)
    assert heard[-1][0] == "failed" and "no span" in heard[-1][1]
    assert not push_command(stack, AddSpanCommand(project, events, article_id, 5, 5000, "FACT", "alice"))
    assert "cannot end" in heard[-1][1]
    stack.undo()  # the note's span is gone: the step is dropped instead of left half-done
    assert stack.count() == 0 and not stack.canRedo()
    assert heard[-1][0] == "failed"


def test_quote_shortens_and_flattens():
    assert quote("Blinken\nsaid") == "“Blinken said”"
    assert quote("x" * 60) == "“" + "x" * 39 + "…”"
