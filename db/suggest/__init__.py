"""Pre-annotation suggestions from spaCy and rules (issue 6).

``suggest_spans(text)`` is pure; ``suggest_for_article(project, article_id, annotator)`` leaves out
what the analyst already has or rejected before. ``db.suggest.decisions`` stores accepts and rejects.
"""

from db.suggest.article import suggest_for_article, who_said_what
from db.suggest.decisions import accept_all, accept_suggestion, reject_suggestion, unreject_suggestion
from db.suggest.engine import suggest_spans
from db.suggest.model import (
    SUGGESTED_LABELS,
    Speaker,
    SuggestCancelled,
    SuggestedLink,
    SuggestedSpan,
    SuggestionSet,
)
from db.suggest.pipeline import PipelineInfo, blank_pipeline, load_pipeline, pipeline_info

__all__ = [
    "SUGGESTED_LABELS",
    "PipelineInfo",
    "Speaker",
    "SuggestCancelled",
    "SuggestedLink",
    "SuggestedSpan",
    "SuggestionSet",
    "accept_all",
    "accept_suggestion",
    "blank_pipeline",
    "load_pipeline",
    "pipeline_info",
    "reject_suggestion",
    "suggest_for_article",
    "suggest_spans",
    "unreject_suggestion",
    "who_said_what",
]
