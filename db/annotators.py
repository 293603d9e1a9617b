"""Annotators: each person's layer, and the gold layer that review produces."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NewsmarkError, NotFoundError
from db.models import Annotator
from db.project import Project

GOLD = "gold"


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise NewsmarkError("An annotator needs a name.")
    if len(name) > 200:
        raise NewsmarkError("An annotator's name is at most 200 characters.")
    return name


def ensure_annotator(session: Session, name: str) -> Annotator:
    name = clean_name(name)
    annotator = session.scalar(select(Annotator).where(Annotator.name == name))
    if annotator is None:
        annotator = Annotator(name=name, is_gold=name == GOLD)
        session.add(annotator)
        session.flush()
    return annotator


def annotator_by_name(session: Session, name: str) -> Annotator:
    annotator = session.scalar(select(Annotator).where(Annotator.name == name))
    if annotator is None:
        raise NotFoundError(f"There is no annotator {name!r} in this project.")
    return annotator


def list_annotators(project: Project) -> list[str]:
    with project.read() as s:
        return list(s.scalars(select(Annotator.name).order_by(Annotator.is_gold, Annotator.name)))
