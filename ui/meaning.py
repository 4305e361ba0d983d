"""The Compare page's "What matters" view: the changes that may alter the meaning first.

Figures, dates, names, negations and obligations changed between the base and the
compared version, and the figures and dates a cut passage's translation disagrees
on, each with its place, then (on request) every other variant. The scholar can
re-type a variant, set it aside as not significant, and declare rules for the
project ("treat ’ and ' as the same").
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

import streamlit as st

from annotations.apparatus import comparison_tei
from annotations.collation import Comparison, StoredLink
from annotations.meaning import (
    StoredVariant,
    add_rule,
    decide_variant,
    delete_rule,
    describe_counts,
    list_rules,
)
from sources.errors import PalimpsestError
from sources.variants import FLAGGED, TYPE_LABELS, VARIANT_TYPES
from ui.annotate import AUTHOR_KEY, flash
from ui.compare import short_quote, titles
from ui.text import escape_markdown, plural

TYPE_ORDER = {t: k for k, t in enumerate(VARIANT_TYPES)}


def type_label(variant: StoredVariant) -> str:
    """ "figure" or "figure (was: wording)" when the scholar re-typed it; "set aside" marks."""
    label = TYPE_LABELS[variant.type]
    if variant.type != variant.engine_type:
        label += f" (found as {TYPE_LABELS[variant.engine_type]})"
    if not variant.significant:
        label += ", not significant"
    return label


def meaning_counts(comparison: Comparison) -> tuple[Counter, Counter]:
    """Flagged variants by type: between the two versions, and across languages."""
    within, across = Counter(), Counter()
    for link, variant in comparison.flagged():
        (across if link.kind == "translated" else within)[variant.type] += 1
    return within, across


def meaning_sentence(comparison: Comparison) -> str:
    """One sentence for the top of the page: what may change the meaning, counted."""
    within, across = meaning_counts(comparison)
    version = f"“{comparison.version.title}”"
    parts = []
    if within:
        parts.append(f"In {version}: {describe_counts(within)}.")
    if across:
        parts.append(f"Where cut passages were found in another language, the texts disagree on "
                     f"{plural(sum(across.values()), 'figure or date', 'figures or dates')}.")
    return " ".join(parts)


def variant_rows(comparison: Comparison, types: set[str], *, include_set_aside: bool
                 ) -> list[tuple[StoredLink, StoredVariant]]:
    """The variants to list: the chosen types, flagged ones first, each in the base's order."""
    chosen = [(link, v) for link, v in comparison.variants()
              if v.type in types and (v.significant or include_set_aside)]
    return sorted(chosen, key=lambda item: (not item[1].flagged, TYPE_ORDER[item[1].type]))


def variant_table(comparison: Comparison, chosen, compare_url: str) -> list[dict]:
    names = titles(comparison)
    rows = []
    for number, (link, variant) in enumerate(chosen, 1):
        rows.append({
            "#": number,
            "type": type_label(variant),
            "base": link.a.place if link.a else "",
            "old": short_quote(variant.old),
            "new": short_quote(variant.new),
            "in": names[link.b_document_id],
            "there": link.b.place if link.b else "",
            "decided": variant.decided_by or (f"rule {variant.rule}" if variant.rule else ""),
            "context": f"{compare_url}&{urlencode({'p': link.a.seq})}" if link.a else None,
        })
    return rows


# --- widgets -------------------------------------------------------------------------------

def meaning_banner(comparison: Comparison) -> None:
    sentence = meaning_sentence(comparison)
    if sentence:
        st.warning(escape_markdown(sentence) + " See What matters.",
                   icon=":material/priority_high:")


def meaning_section(store, comparison: Comparison) -> None:
    """The "What matters" tab: the list, a decision on one variant, the project's rules."""
    base_others = {"base": comparison.base.id,
                   "others": ",".join(str(d.id) for d in comparison.others)}
    compare_url = f"/compare?{urlencode(base_others)}"
    columns = st.columns([3, 1])
    types = columns[0].multiselect(
        "Types shown", list(VARIANT_TYPES), default=sorted(FLAGGED, key=TYPE_ORDER.get),
        format_func=TYPE_LABELS.get, key="meaning_types")
    set_aside = columns[1].checkbox("Include those set aside", key="meaning_set_aside")
    chosen = variant_rows(comparison, set(types), include_set_aside=set_aside)
    sentence = meaning_sentence(comparison)
    st.caption(escape_markdown(sentence) if sentence else
               "No figure, date, name, negation or obligation changed, and no disagreement "
               "between the languages on a figure or a date.")
    if not chosen:
        st.info("No variant of these types.")
    else:
        st.dataframe(
            variant_table(comparison, chosen, compare_url), hide_index=True, width="stretch",
            key="meaning_table",
            column_config={"context": st.column_config.LinkColumn(
                "context", display_text="open side by side")},
        )
        _decide(store, comparison, chosen)
    _rules(store, comparison)
    st.download_button(
        "Download the collation (TEI critical apparatus, variants typed)",
        lambda: comparison_tei(comparison).encode("utf-8"),  # made when clicked
        file_name=f"collation-{comparison.base.id}-{comparison.version.id}.xml",
        mime="application/tei+xml", key="apparatus_download", on_click="ignore")


def _decide(store, comparison: Comparison, chosen) -> None:
    st.subheader("Re-type a variant")
    number = st.selectbox(
        "Variant", range(1, len(chosen) + 1), key="meaning_choice",
        format_func=lambda n: _choice_label(n, chosen[n - 1][1]))
    link, variant = chosen[number - 1]
    columns = st.columns([2, 2, 1])
    new_type = columns[0].selectbox("Type", VARIANT_TYPES, index=TYPE_ORDER[variant.type],
                                    format_func=TYPE_LABELS.get, key=f"meaning_type_{number}")
    significant = not columns[1].checkbox("Not significant", value=not variant.significant,
                                          key=f"meaning_minor_{number}")
    if columns[2].button("Save", key="meaning_save"):
        try:
            decide_variant(store, comparison.base.id, link.b_document_id, variant.variant,
                           type=new_type, significant=significant,
                           author=st.session_state.get(AUTHOR_KEY, ""))
        except PalimpsestError as error:
            st.error(escape_markdown(str(error)))
            return
        flash(f"Saved: “{short_quote(variant.old)}” → “{short_quote(variant.new)}” is now "
              f"{TYPE_LABELS[new_type]}{'' if significant else ', not significant'}.")
        st.rerun()


def _choice_label(number: int, variant: StoredVariant) -> str:
    return (f"#{number} {type_label(variant)}: {short_quote(variant.old)} → "
            f"{short_quote(variant.new)}")


def _rules(store, comparison: Comparison) -> None:
    project_id = comparison.base.project_id
    rules = list_rules(store, project_id)
    with st.expander(f"Rules for this project ({len(rules)})"):
        st.caption("A rule types every variant whose two sides differ only by one spelling "
                   "replaced by another, wherever it occurs: ’ and ', œ and oe, Secrétaire "
                   "général and Secrétaire générale.")
        for rule in rules:
            columns = st.columns([5, 1])
            columns[0].text(f"{rule['old']}  =  {rule['new']}  ({TYPE_LABELS[rule['type']]})")
            if columns[1].button("Remove", key=f"rule_remove_{rule['id']}"):
                delete_rule(store, rule["id"])
                st.rerun()
        with st.form("rule_form", clear_on_submit=True):
            columns = st.columns([2, 2, 2])
            old = columns[0].text_input("Written as", key="rule_old")
            new = columns[1].text_input("Same as", key="rule_new")
            kind = columns[2].selectbox("Type", VARIANT_TYPES, index=TYPE_ORDER["formal"],
                                        format_func=TYPE_LABELS.get, key="rule_type")
            if st.form_submit_button("Add the rule"):
                try:
                    add_rule(store, project_id, old, new, type=kind,
                             author=st.session_state.get(AUTHOR_KEY, ""))
                except PalimpsestError as error:
                    st.error(escape_markdown(str(error)))
                else:
                    flash(f"Rule added: “{old}” = “{new}” ({TYPE_LABELS[kind]}).")
                    st.rerun()
