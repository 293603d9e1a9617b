"""Span suggestions from the rules alone (the blank pipeline, forced even when a trained one is
installed): one constructed sentence per pattern, links, speakers, figures, cancel."""

from __future__ import annotations

import pytest

from db.suggest import (
    SuggestCancelled,
    SuggestionSet,
    blank_pipeline,
    load_pipeline,
    pipeline_info,
    suggest_spans,
    who_said_what,
)
from db.suggest.pipeline import ENV_VAR, resolve_name


@pytest.fixture(scope="module")
def blank():  # type: ignore[no-untyped-def]
    return blank_pipeline()


def suggest(text: str, nlp) -> SuggestionSet:  # type: ignore[no-untyped-def]
    result = suggest_spans(text, nlp=nlp)
    for s in result.spans:
        assert text[s.start : s.end] == s.text
    return result


def labelled(result: SuggestionSet) -> set[tuple[str, str]]:
    return {(s.label, s.text) for s in result.spans}


def linked(result: SuggestionSet) -> set[tuple[str, str]]:
    return {(result.spans[lk.source].text, result.spans[lk.target].text) for lk in result.links}


@pytest.mark.parametrize(
    ("sentence", "attribution", "claim"),
    [
        ("Anselm said the talks were over.", "Anselm said", "the talks were over"),
        (
            "The talks will resume in May, said Ilse Varga, the foreign minister.",
            "said Ilse Varga, the foreign minister",
            "The talks will resume in May",
        ),
        (
            "Foreign Minister Ilse Varga told the Senate on Thursday that the border would stay closed.",
            "Foreign Minister Ilse Varga told the Senate on Thursday",
            "the border would stay closed",
        ),
        (
            "According to the interior ministry, forty people were detained overnight.",
            "According to the interior ministry",
            "forty people were detained overnight",
        ),
        (
            "Forty people were detained overnight, according to the interior ministry.",
            "according to the interior ministry",
            "Forty people were detained overnight",
        ),
        ("“We will rebuild the harbour,” the mayor said.", "the mayor said", "We will rebuild the harbour"),
        (
            '"We will rebuild the harbour," said Mayor Agnes Thorvald.',
            "said Mayor Agnes Thorvald",
            "We will rebuild the harbour",
        ),
        (
            "Prime Minister Lene Haugar said in a televised address on Thursday evening that the strait stays open.",
            "Prime Minister Lene Haugar said in a televised address on Thursday evening",
            "the strait stays open",
        ),
        (
            "Ferry services will restart on Friday, the port authority said.",
            "the port authority said",
            "Ferry services will restart on Friday",
        ),
        (
            'The mayor said: "Nobody was hurt, and the harbour is open."',
            "The mayor said",
            "Nobody was hurt, and the harbour is open",
        ),
    ],
)
def test_reporting_patterns(blank, sentence: str, attribution: str, claim: str) -> None:  # type: ignore[no-untyped-def]
    result = suggest(sentence, blank)
    assert labelled(result) == {("ATTRIBUTION", attribution), ("CLAIM", claim)}
    assert linked(result) == {(attribution, claim)}


@pytest.mark.parametrize(
    "verb",
    [
        "noted",
        "stated",
        "warned",
        "added",
        "insisted",
        "claimed",
        "argued",
        "denied",
        "confirmed",
        "announced",
    ],
)
def test_reporting_verbs(blank, verb: str) -> None:  # type: ignore[no-untyped-def]
    result = suggest(f"The harbour master {verb} that the channel was too shallow for tankers.", blank)
    assert labelled(result) == {
        ("ATTRIBUTION", f"The harbour master {verb}"),
        ("CLAIM", "the channel was too shallow for tankers"),
    }


def test_expert_opinion_by_description(blank) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Halina Vost, a research fellow at the Serrow Institute, said the launch was a signal to Dovrenia. "
        "Amina Clough, who studies bridge fatigue, said the cracks would grow slowly. "
        '"It is a message, not a threat," Vost said.'
    )
    result = suggest(text, blank)
    assert ("EXPERT_OPINION", "the launch was a signal to Dovrenia") in labelled(result)
    assert ("EXPERT_OPINION", "the cracks would grow slowly") in labelled(result)
    # Introduced as an expert once, she stays one when quoted by surname only.
    assert ("EXPERT_OPINION", "It is a message, not a threat") in labelled(result)
    assert ("ATTRIBUTION", "Halina Vost, a research fellow at the Serrow Institute, said") in labelled(result)
    assert not result.by_label("CLAIM")


def test_official_is_not_an_expert(blank) -> None:  # type: ignore[no-untyped-def]
    result = suggest("Interior Minister Tomas Brekke said the border was calm.", blank)
    assert labelled(result) == {
        ("ATTRIBUTION", "Interior Minister Tomas Brekke said"),
        ("CLAIM", "the border was calm"),
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "The test took place 40 km off the coast.",
        "Three missiles were fired before dawn.",
        "The ferry ran aground on 9 November near the harbour.",
        "Unemployment in the region fell to 12 percent last year.",
        "The council spent $3 million on the new bridge.",
        "The eastern runway was closed for 45 minutes on Monday.",
    ],
)
def test_fact_is_the_sentence_without_its_full_stop(blank, sentence: str) -> None:  # type: ignore[no-untyped-def]
    result = suggest(sentence, blank)
    assert labelled(result) == {("FACT", sentence.rstrip("."))}


@pytest.mark.parametrize(
    "sentence",
    [
        '"We fired 3 missiles," the colonel said.',  # quoted speech: a claim, not the outlet's fact
        "The ministry said 40 vessels were held.",  # attributed
        "The port will reopen on 9 November.",  # not something that happened
        "Officials were angry about the delay.",  # no figure
    ],
)
def test_no_fact(blank, sentence: str) -> None:  # type: ignore[no-untyped-def]
    assert not suggest(sentence, blank).by_label("FACT")


def test_headline_and_dateline_are_not_sentences(blank) -> None:  # type: ignore[no-untyped-def]
    text = "Ferry aground off Skell Point\n\nSKELL — The ferry ran aground with 212 passengers on board on Friday."
    result = suggest(text, blank)
    assert labelled(result) == {("FACT", "The ferry ran aground with 212 passengers on board on Friday")}


def test_speaker_names_are_one_speaker(blank) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Secretary of State Antony Blinken said the ceasefire was holding. "
        "Blinken said aid convoys would enter on Monday. "
        '"We are not there yet," Mr Blinken told reporters. '
        "The Secretary of State added that talks would resume in Cairo. "
        "The defence ministry said the border was quiet. "
        "The ministry added that patrols continued."
    )
    result = suggest(text, blank)
    attributions = result.by_label("ATTRIBUTION")
    assert len(attributions) == 6
    blinken = {a.speaker for a in attributions[:4]}
    ministry = {a.speaker for a in attributions[4:]}
    assert len(blinken) == 1 and len(ministry) == 1 and blinken != ministry
    speaker = result.speaker(blinken.pop())
    assert speaker is not None and speaker.canonical == "Antony Blinken"
    assert set(speaker.mentions) >= {"Secretary of State Antony Blinken", "Blinken", "Mr Blinken"}
    said = dict(who_said_what(result))
    assert said["Antony Blinken"] == [
        "the ceasefire was holding",
        "aid convoys would enter on Monday",
        "We are not there yet",
        "talks would resume in Cairo",
    ]
    assert said["defence ministry"] == ["the border was quiet", "patrols continued"]


def test_pronoun_is_the_person_quoted_last(blank) -> None:  # type: ignore[no-untyped-def]
    text = 'Mayor Agnes Thorvald said the boats were safe. "Everyone is home," she said.'
    result = suggest(text, blank)
    ids = {a.speaker for a in result.by_label("ATTRIBUTION")}
    assert len(ids) == 1


def test_who_said_what_takes_a_text(blank) -> None:  # type: ignore[no-untyped-def]
    assert who_said_what("Anselm said the talks were over.", nlp=blank) == [
        ("Anselm", ["the talks were over"])
    ]


def test_offsets_are_code_points(blank) -> None:  # type: ignore[no-untyped-def]
    text = "🌊🌊 Mayor Agnès Thorvald said the boats were safe."
    result = suggest(text, blank)
    claim = result.by_label("CLAIM")[0]
    assert (claim.start, claim.text) == (text.index("the boats"), "the boats were safe")


def test_cancel_stops_between_sentences(blank) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(f"Official number {i} said the port was closed." for i in range(200))
    polls = []

    def cancel() -> bool:
        polls.append(1)
        return len(polls) > 3

    with pytest.raises(SuggestCancelled):
        suggest_spans(text, nlp=blank, cancel=cancel)
    assert len(polls) == 4


def test_blank_pipeline_is_forced_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = load_pipeline("blank")
    info = pipeline_info(nlp)
    assert info.name == "blank_en" and not info.trained and info.version
    assert load_pipeline("blank") is nlp  # cached
    monkeypatch.setenv(ENV_VAR, "blank")
    assert resolve_name() == "blank"
    assert load_pipeline() is nlp


def test_unknown_pipeline_is_a_user_error() -> None:
    from db.errors import NewsmarkError

    with pytest.raises(NewsmarkError, match="not installed"):
        load_pipeline("no_such_pipeline_xyz")


def test_to_dict_is_json_ready(blank) -> None:  # type: ignore[no-untyped-def]
    import json

    result = suggest("Anselm said the talks were over.", blank)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["links"] == [{"source": 0, "target": 1, "type": "SOURCE_OF"}]
    assert data["speakers"][0]["canonical"] == "Anselm"


def test_pipeline_loads_once_across_threads() -> None:
    import threading

    from db.suggest import pipeline as pipeline_module

    pipeline_module._cache.pop("blank", None)
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(load_pipeline("blank"))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and all(nlp is got[0] for nlp in got)


def test_passive_and_headline_are_not_speech(blank) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Ministry says talks are off\n\n"
        "The missiles landed well outside any zone claimed by Dovrenia, according to the ministry."
    )
    assert labelled(suggest(text, blank)) == {
        ("ATTRIBUTION", "according to the ministry"),
        ("CLAIM", "The missiles landed well outside any zone claimed by Dovrenia"),
    }
