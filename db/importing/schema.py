"""Mapping the labels and link types a file uses onto the project's schema.

Our own JSONL names labels by key; a key the project lacks is added and reported. doccano and
Label Studio use whatever names their project had: they match a label's key or name ignoring case,
spaces and underscores ("Expert opinion" -> EXPERT_OPINION); an unknown one is added only with
``add_unknown``, mapped with ``label_map``, and otherwise stops the import with the list of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import ImportFormatError, NewsmarkError
from db.labels import ensure_label, ensure_link_type, normalise_key
from db.models import Label, LinkType


def fold(name: str) -> str:
    """The form two label names are compared in: 'Expert opinion' == 'EXPERT_OPINION'."""
    return re.sub(r"[\s_\-]+", "", name).casefold()


class SchemaMapper:
    """Resolves one kind of name (span labels or link types) to ids, adding what policy allows."""

    def __init__(
        self,
        session: Session,
        path: Path,
        *,
        kind: str,
        add_unknown: bool,
        label_map: Mapping[str, str] | None = None,
    ) -> None:
        self._session = session
        self._path = path
        self._kind = kind
        self._add_unknown = add_unknown
        self._map = {fold(k): v for k, v in (label_map or {}).items()}
        model = Label if kind == "label" else LinkType
        rows = session.execute(select(model.id, model.key, model.name)).all()
        self._ids: dict[str, int] = {}
        for row_id, key, _name in rows:
            self._ids.setdefault(fold(key), row_id)
        for row_id, _key, name in rows:
            self._ids.setdefault(fold(name), row_id)
        self.added: list[str] = []

    def _add(self, name: str) -> int:
        try:
            key = normalise_key(name)
        except NewsmarkError as exc:
            raise ImportFormatError(self._path, str(exc)) from None
        item = (
            ensure_label(self._session, key, name)
            if self._kind == "label"
            else ensure_link_type(self._session, key)
        )
        self.added.append(item.key)
        self._ids[fold(item.key)] = item.id
        self._ids.setdefault(fold(name), item.id)
        return item.id

    def resolve(self, names: Iterable[str]) -> dict[str, int]:
        """name -> id for every name, or ImportFormatError listing the unknown ones."""
        out: dict[str, int] = {}
        unknown: list[str] = []
        for name in dict.fromkeys(names):
            target = self._map.get(fold(name), name)
            found = self._ids.get(fold(target))
            if found is not None:
                out[name] = found
            elif self._add_unknown:
                out[name] = self._add(target)
            else:
                unknown.append(name if target == name else f"{name} (mapped to {target})")
        if unknown:
            what = "labels" if self._kind == "label" else "relation types"
            listed = ", ".join(repr(u) for u in sorted(unknown))
            raise ImportFormatError(
                self._path,
                f"unknown {what} {listed}: the project has no such {what}; pass --add-labels to add them "
                f"or --map-label OLD=NEW to map them onto the project's {what}",
            )
        return out
