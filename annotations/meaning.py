"""What the differences of a stored comparison mean, with the scholar's word on top.

The engine types every variant of a changed, moved or translated pair
(:mod:`sources.variants`). The scholar can re-type one ("a name, not a word"),
mark it not significant, or declare a rule for a whole project ("treat ’ and '
as the same"). Decisions are stored apart from the aligner's output, keyed by
the documents, the spans and the two quotes, so re-running the aligner keeps
them; the latest decision on a variant wins and the earlier ones stay as history.
A project rule types every variant whose two sides differ only by the rule's
substitution (applied wherever it occurs).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotations.store import Store, utcnow
from sources.errors import InvalidInput
from sources.variants import FLAGGED, TYPE_LABELS, VARIANT_TYPES, Variant

RULE_MAX_CHARS = 200


@dataclass(frozen=True)
class StoredVariant:
    """A variant of a stored link, as the engine typed it and as the scholar decided.

    ``variant`` keeps the engine's type and its spans (code-point offsets into the
    base text and into the text of ``b_document_id``); ``type`` is the type in force.
    """

    variant: Variant
    b_document_id: int
    type: str
    significant: bool = True
    decided_by: str | None = None
    decided_at: str | None = None
    rule: str | None = None

    @property
    def engine_type(self) -> str:
        return self.variant.type

    @property
    def flagged(self) -> bool:
        """Worth a historian's attention: a meaningful type, not set aside by the scholar."""
        return self.significant and self.type in FLAGGED

    @property
    def old(self) -> str:
        return self.variant.old

    @property
    def new(self) -> str:
        return self.variant.new


def dump_variants(variants: Iterable[Variant]) -> str:
    return json.dumps([v.as_dict() for v in variants], ensure_ascii=False)


def load_variants(raw: str | None) -> tuple[Variant, ...]:
    return tuple(Variant.from_dict(item) for item in json.loads(raw or "[]"))


def describe_counts(counts: Counter) -> str:
    """ "3 figures changed, 2 negations, 1 change of obligation" (empty when nothing)."""
    phrases = {
        "number": ("figure changed", "figures changed"), "date": ("date changed", "dates changed"),
        "name": ("name changed", "names changed"), "negation": ("negation", "negations"),
        "modality": ("change of obligation", "changes of obligation"),
    }
    return ", ".join(f"{counts[t]} {phrases[t][counts[t] != 1]}" for t in phrases if counts[t])


# --- the scholar's decisions -----------------------------------------------------------------

def decide_variant(store: Store, a_document_id: int, b_document_id: int, variant: Variant, *,
                   type: str | None = None, significant: bool = True, author: str = "") -> None:
    """Re-type ``variant`` (``type``) and/or mark it not significant; the latest decision wins."""
    chosen = type or variant.type
    if chosen not in VARIANT_TYPES:
        raise InvalidInput(f"Unknown variant type “{chosen}”: choose one of "
                           f"{', '.join(VARIANT_TYPES)}.")
    record = {
        "a_document_id": a_document_id, "b_document_id": b_document_id,
        "a_start": variant.a.start if variant.a else None,
        "a_end": variant.a.end if variant.a else None,
        "b_start": variant.b.start if variant.b else None,
        "b_end": variant.b.end if variant.b else None,
        "old": variant.old, "new": variant.new, "type": chosen,
        "significant": int(bool(significant)), "author": author, "created_at": utcnow(),
    }
    with store.transaction() as db:
        db["variant_decisions"].insert(record)


def add_rule(store: Store, project_id: int, old: str, new: str, *, type: str = "formal",
             author: str = "") -> int:
    """Declare for the whole project that ``old`` written as ``new`` is a change of ``type``."""
    if not old or not new or old == new:
        raise InvalidInput("A rule needs two different spellings, one on each side.")
    if max(len(old), len(new)) > RULE_MAX_CHARS:
        raise InvalidInput(f"A rule compares short spellings (at most {RULE_MAX_CHARS} "
                           "characters on each side).")
    if type not in VARIANT_TYPES:
        raise InvalidInput(f"Unknown variant type “{type}”.")
    with store.transaction() as db:
        return db["variant_rules"].insert({
            "project_id": project_id, "old": old, "new": new, "type": type, "author": author,
            "created_at": utcnow(),
        }).last_pk


def delete_rule(store: Store, rule_id: int) -> None:
    with store.transaction() as db:
        db.execute("delete from variant_rules where id = ?", [rule_id])


def list_rules(store: Store, project_id: int) -> list[dict]:
    return list(store.db["variant_rules"].rows_where("project_id = ?", [project_id],
                                                     order_by="id"))


class Typing:
    """The scholar's re-typings of variants and the project's rules, read once for a
    comparison; :meth:`apply` gives a stored variant its type (the latest decision wins,
    then the first rule that applies, else the type the engine gave)."""

    def __init__(self, store: Store, a_document_id: int, project_id: int | None,
                 other_ids: Sequence[int]):
        others = sorted(set(other_ids))
        self.latest: dict[tuple, dict] = {}
        if others:
            marks = ",".join("?" * len(others))
            for row in store.db["variant_decisions"].rows_where(
                    f"a_document_id = ? and b_document_id in ({marks})",
                    [a_document_id, *others], order_by="id"):
                self.latest[(row["b_document_id"], row["a_start"], row["b_start"], row["old"],
                             row["new"])] = row
        self.rules = list_rules(store, project_id) if project_id is not None else []

    def apply(self, b_document_id: int, variant: Variant) -> StoredVariant:
        return _stored(b_document_id, variant, self.latest, self.rules)


def _stored(b_document_id: int, variant: Variant, latest: dict, rules: list[dict]
            ) -> StoredVariant:
    key = (b_document_id, variant.a.start if variant.a else None,
           variant.b.start if variant.b else None, variant.old, variant.new)
    row = latest.get(key)
    if row is not None:
        return StoredVariant(variant, b_document_id, row["type"], bool(row["significant"]),
                             row["author"] or None, row["created_at"])
    for rule in rules:
        if _rule_applies(rule, variant):
            described = f"{rule['old']} = {rule['new']} ({TYPE_LABELS[rule['type']]})"
            return StoredVariant(variant, b_document_id, rule["type"], rule=described)
    return StoredVariant(variant, b_document_id, variant.type)


def _rule_applies(rule: dict, variant: Variant) -> bool:
    old, new = variant.old, variant.new
    return any(a in old and old.replace(a, b) == new for a, b in (
        (rule["old"], rule["new"]), (rule["new"], rule["old"])))
