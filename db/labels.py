"""The project's label schema and link types: seed, list, add, edit."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import NewsmarkError, NotFoundError
from db.models import Label, LinkType
from db.project import Project
from db.records import LabelRecord, LinkTypeRecord
from db.resources import default_schema

_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_PALETTE = ("#d35400", "#2980b9", "#9b59b6", "#1abc9c", "#e67e22", "#34495e", "#e84393", "#6ab04c")


def normalise_key(name: str) -> str:
    """'expert opinion' -> 'EXPERT_OPINION'."""
    key = re.sub(r"[^0-9A-Za-z]+", "_", name.strip()).strip("_").upper()
    if not key or not _KEY.match(key):
        raise NewsmarkError(
            f"{name!r} cannot be a label key: use letters, digits and underscores, starting with a letter."
        )
    return key


def seed_defaults(session: Session) -> None:
    schema = default_schema()
    for pos, item in enumerate(schema["labels"]):
        session.add(Label(position=pos, **item))
    for pos, item in enumerate(schema["link_types"]):
        session.add(LinkType(position=pos, **item))
    session.flush()


def label_record(label: Label) -> LabelRecord:
    return LabelRecord(
        label.id, label.key, label.name, label.color, label.shortcut, label.definition, label.position
    )


def link_type_record(lt: LinkType) -> LinkTypeRecord:
    return LinkTypeRecord(lt.id, lt.key, lt.name, lt.color, lt.directed, lt.definition, lt.position)


def list_labels(project: Project) -> list[LabelRecord]:
    with project.read() as s:
        return [label_record(x) for x in s.scalars(select(Label).order_by(Label.position, Label.id))]


def list_link_types(project: Project) -> list[LinkTypeRecord]:
    with project.read() as s:
        return [
            link_type_record(x) for x in s.scalars(select(LinkType).order_by(LinkType.position, LinkType.id))
        ]


def label_by_key(session: Session, key: str) -> Label:
    label = session.scalar(select(Label).where(Label.key == key))
    if label is None:
        raise NotFoundError(f"There is no label {key!r} in this project.")
    return label


def link_type_by_key(session: Session, key: str) -> LinkType:
    lt = session.scalar(select(LinkType).where(LinkType.key == key))
    if lt is None:
        raise NotFoundError(f"There is no link type {key!r} in this project.")
    return lt


def _check_color(color: str) -> str:
    if not _COLOR.match(color):
        raise NewsmarkError(f"{color!r} is not a colour: use #rrggbb.")
    return color.lower()


def ensure_label(session: Session, key: str, name: str | None = None) -> Label:
    """The label with this key, added with a default colour if the project lacks it."""
    key = normalise_key(key)
    label = session.scalar(select(Label).where(Label.key == key))
    if label is None:
        count = session.scalar(select(func.count()).select_from(Label)) or 0
        label = Label(
            key=key,
            name=name or key.replace("_", " ").capitalize(),
            color=_PALETTE[count % len(_PALETTE)],
            shortcut=None,
            definition="",
            position=count,
        )
        session.add(label)
        session.flush()
    return label


def ensure_link_type(session: Session, key: str) -> LinkType:
    key = normalise_key(key)
    lt = session.scalar(select(LinkType).where(LinkType.key == key))
    if lt is None:
        count = session.scalar(select(func.count()).select_from(LinkType)) or 0
        lt = LinkType(
            key=key,
            name=key.replace("_", " ").capitalize(),
            color=_PALETTE[count % len(_PALETTE)],
            directed=True,
            definition="",
            position=count,
        )
        session.add(lt)
        session.flush()
    return lt


def add_label(
    project: Project,
    name: str,
    color: str,
    shortcut: str | None = None,
    definition: str = "",
    key: str | None = None,
) -> LabelRecord:
    key = normalise_key(key or name)
    color = _check_color(color)
    with project.write() as s:
        if s.scalar(select(Label).where(Label.key == key)) is not None:
            raise NewsmarkError(f"The project already has a label {key}.")
        _check_shortcut_free(s, shortcut, None)
        count = s.scalar(select(func.count()).select_from(Label)) or 0
        label = Label(
            key=key, name=name, color=color, shortcut=shortcut, definition=definition, position=count
        )
        s.add(label)
        s.flush()
        return label_record(label)


def update_label(
    project: Project,
    key: str,
    *,
    name: str | None = None,
    color: str | None = None,
    shortcut: str | None = None,
    definition: str | None = None,
    clear_shortcut: bool = False,
) -> LabelRecord:
    """Rename, recolour, rebind or redefine a label. Its key (what exports carry) stays."""
    with project.write() as s:
        label = label_by_key(s, key)
        if name is not None:
            if not name.strip():
                raise NewsmarkError("A label needs a name.")
            label.name = name.strip()
        if color is not None:
            label.color = _check_color(color)
        if clear_shortcut:
            label.shortcut = None
        elif shortcut is not None:
            _check_shortcut_free(s, shortcut, label.id)
            label.shortcut = shortcut
        if definition is not None:
            label.definition = definition
        s.flush()
        return label_record(label)


def _check_shortcut_free(session: Session, shortcut: str | None, label_id: int | None) -> None:
    if not shortcut:
        return
    other = session.scalar(select(Label).where(Label.shortcut == shortcut))
    if other is not None and other.id != label_id:
        raise NewsmarkError(f"Key {shortcut} already labels {other.name}.")


def add_link_type(
    project: Project, name: str, color: str, directed: bool = True, definition: str = ""
) -> LinkTypeRecord:
    key = normalise_key(name)
    color = _check_color(color)
    with project.write() as s:
        if s.scalar(select(LinkType).where(LinkType.key == key)) is not None:
            raise NewsmarkError(f"The project already has a link type {key}.")
        count = s.scalar(select(func.count()).select_from(LinkType)) or 0
        lt = LinkType(
            key=key, name=name, color=color, directed=directed, definition=definition, position=count
        )
        s.add(lt)
        s.flush()
        return link_type_record(lt)
