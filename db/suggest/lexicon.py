"""Word lists the rules share: reporting verbs, speaker nouns, titles, expert cues, adjuncts."""

from __future__ import annotations

import re


def word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list."""
    return frozenset(words.split())


#: Reporting verbs in the forms news copy uses (the blank pipeline has no lemmatizer).
REPORTING_VERBS = tuple(
    word_set(
        "said says say told tells noted stated warned warns added adds insisted insists "
        "claimed argued argues denied denies confirmed confirms announced announces explained "
        "explains wrote writes acknowledged acknowledges maintained maintains asserted asserts stressed "
        "stresses emphasised emphasized cautioned cautions contended contends admitted admits alleged "
        "alleges predicted predicts estimated concluded concludes suggested countered replied "
        "responded observed observes conceded recalled posted tweeted declared declares promised vowed "
        "assured informed reiterated disclosed revealed"
    )
)
VERB_RE = r"(?:" + "|".join(sorted(REPORTING_VERBS, key=len, reverse=True)) + r")"
#: Verbs that take the addressee before the content ("told reporters that ...").
ADDRESSEE_VERBS = frozenset({"told", "tells", "assured", "informed", "warned"})
#: Verbs whose object comes before the content ("described the launch as ...").
FRAMING_RE = r"(?:described|describes|called|calls|labelled|labeled|branded|dismissed|dismisses)"

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
PERSON_PRONOUNS = frozenset({"he", "she"})

#: Nouns that can head a speaker phrase ("a ministry spokesman", "the agency", "residents").
SPEAKER_NOUNS = word_set(
    "ministry spokesman spokeswoman spokesperson spokespeople official officials government agency "
    "authority authorities police army military company firm office department council committee "
    "minister president mayor governor chief director manager analyst analysts expert experts "
    "researcher researchers professor economist scholar lawyer lawyers union residents witnesses "
    "survivors statement report court judge prosecutor prosecutors regulator operator coastguard guard "
    "board spokesmen leader leaders administration commission ministry's group observers "
    "diplomats diplomat source sources campaigners activists farmers fishermen workers doctors "
    "organisers organizers navy embassy secretary chairman chairwoman chair ceo executive owner "
    "insurer insurers inspectors inspector scientists scientist historian residents' teacher"
)

#: Words that introduce a role rather than a name ("Foreign Minister", "Dr.").
TITLE_WORDS = word_set(
    "minister secretary president vice prime foreign defence defense interior finance mayor "
    "governor senator general colonel major captain admiral lieutenant commander ambassador director "
    "chief chairman chairwoman chair commissioner chancellor premier judge spokesman spokeswoman "
    "spokesperson dr dr. mr mr. mrs mrs. ms ms. prof prof. professor sir lady lord king queen prince "
    "deputy state health trade deputy mp rep. rep sen. sen gen. col. capt. chief sergeant inspector "
    "superintendent bishop councillor councilor alderman speaker attorney"
)
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "sir", "dame"})

#: What makes a speaker an expert in the outlet's presentation (labels.json, EXPERT_OPINION).
EXPERT_RE = re.compile(
    r"\b(?:analysts?|experts?|(?:senior |research |visiting )?fellow|researchers?|professor|prof\.|scholars?|"
    r"economists?|historians?|\w*ologists?|(?:geo|demo|oceano|carto)graphers?|physicists?|chemists?|statisticians?|"
    r"scientists?|lecturers?|specialists?|academics?|former|retired|"
    r"who (?:has )?stud(?:ies|ied)|think[- ]tank|consultants?|strategists?|Dr\.?(?= [A-Z]))",
    re.IGNORECASE,
)

_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)"
)
_MEDIUM = (
    r"(?:statement|interview|address|briefing|speech|post|news conference|press conference|conference|call|"
    r"hearing|letter|report|broadcast|message|email|e-mail|op-ed|podcast|meeting|session|summit|rally|video|"
    r"note|filing|submission|newsletter|blog post|radio interview|television interview)"
)
#: Time, place, manner and medium phrases that may follow a reporting verb and stay in the ATTRIBUTION.
ADJUNCT_RE = re.compile(
    r"(?:\s*,)?\s+(?:"
    rf"(?:(?:late|early|earlier|later)\s+)?(?:on|by)\s+(?:{_DAY}(?:\s+(?:morning|afternoon|evening|night))?|{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})"
    rf"|(?:in|during|at|via|through)\s+(?:a|an|the|his|her|its|their)\s+(?:[\w-]+\s+){{0,3}}?{_MEDIUM}"
    r"(?:\s+(?:issued|released|published|posted|broadcast)(?:\s+(?:late|early))?(?:\s+on\s+\w+)?)?"
    r"|(?:on|in)\s+(?:social media|television|radio|state television|state radio|national television|Twitter|Facebook|Telegram)"
    r"|(?:yesterday|today|tonight|earlier|later|afterwards|previously|again|also|repeatedly|publicly|privately|separately|recently|"
    rf"this week|last week|last month|this month|this morning|last night|on {_DAY})"
    r"|(?:shortly|just|soon)?\s*(?:after|before|around)\s+\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm)?"
    r"|(?:to|with)\s+(?:reporters|journalists|the press|lawmakers|parliament|the [A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
    r"|(?:in|at|from)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*"
    r")(?=[\s,.:;]|$)"
)
THAT_RE = re.compile(r"\s*(?::|,?\s+that\b)")
