"""``palimpsest align BASE OTHER [OTHER...]``: collate files without a database.

The command reads each file (:func:`sources.ingest.parse_file`), collates the
base with the others (:func:`sources.collate.collate`) and prints:

* ``--format summary`` (default): counts of links per kind and witness, then each
  passage removed from the first other file in the base's language and where it
  went (moved into or translated in another file), or that it was found nowhere;
* ``--format jsonl``: one JSON object per link, exactly
  ``{"kind", "a_doc", "a", "b_doc", "b", "score"}``; ``a``/``b`` are
  ``[start, end]`` code-point offsets into the decoded text (NFC, ``\\n``
  newlines) or ``null`` (``removed`` has no ``b``, ``added`` no ``a``); ``a_doc``
  and ``b_doc`` are the paths as typed. ``changed``, ``moved`` and ``translated``
  links also have ``"variants": [{"type", "a", "b", "old", "new"}]``, ``a``/``b``
  in the same frames as the link's own (:mod:`sources.variants`; a
  ``translated`` link lists only the figures and dates the languages disagree on);
* ``--format csv``: the same with columns ``kind, a_doc, a_start, a_end, b_doc,
  b_start, b_end, score, variants, flagged`` (empty cells for missing spans;
  ``variants`` is the JSON list above, ``flagged`` says the meaningful ones in words).

The summary lists, after the counts, the flagged variants: figures, dates,
names, negations and obligations changed, and what the languages disagree on.

``--language-of FILE=LANG`` overrides the language found in a file; files in
another language than the base are only searched for the removed passages.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click

from sources.collate import Witness, WitnessLink, collate, same_language
from sources.errors import PalimpsestError
from sources.model import LINK_KINDS, Span
from sources.text import printable

FORMATS = ("summary", "jsonl", "csv")
CSV_COLUMNS = ("kind", "a_doc", "a_start", "a_end", "b_doc", "b_start", "b_end", "score",
               "variants", "flagged")
VARIANT_KINDS = ("changed", "moved", "translated")
QUOTE_WORDS = 12


@click.command()
@click.argument("base")
@click.argument("others", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="summary",
              show_default=True, help="summary for people, jsonl or csv for programs.")
@click.option("--language-of", "languages", multiple=True, metavar="FILE=LANG",
              help="The language of FILE (e.g. annex.txt=en), if the file does not say it.")
def align(base: str, others: tuple[str, ...], output_format: str, languages: tuple[str, ...]):
    """Compare BASE with each OTHER: what stayed, changed, moved, was removed or added.

    Passages removed from the first OTHER in the language of BASE are looked for
    in the remaining files, translations included.
    """
    try:
        overrides = _language_overrides(languages, (base, *others))
        witnesses = [_witness(path, overrides) for path in (base, *others)]
        links = collate(witnesses[0], witnesses[1:])
    except PalimpsestError as error:
        raise click.ClickException(str(error)) from error
    printer = {"summary": _summary, "jsonl": _jsonl, "csv": _csv}[output_format]
    output = printer(witnesses, links)
    click.echo(printable(output) if output_format == "summary" else output, nl=False)


def _language_overrides(options: Sequence[str], paths: Sequence[str]) -> dict[str, str]:
    overrides = {}
    for option in options:
        file, sep, language = option.rpartition("=")
        if not sep or not file or not language.strip():
            raise click.ClickException(
                f"--language-of expects FILE=LANG, for example annex.txt=en, not {option!r}.")
        overrides[_which(file, paths)] = language.strip()
    return overrides


def _which(file: str, paths: Sequence[str]) -> str:
    for path in paths:
        if path == file or Path(path).resolve() == Path(file).resolve():
            return path
    raise click.ClickException(
        f"--language-of names {file}, which is not one of the files to align.")


def _witness(path: str, overrides: dict[str, str]) -> Witness:
    from sources.sandbox import parse_bounded

    file = Path(path)
    if not file.is_file():
        raise click.ClickException(f"There is no file {path}.")
    language = overrides.get(path)
    if language is None:  # load the language model here once, not in every child
        from sources.language import load_model

        load_model()
    parsed = parse_bounded(file.read_bytes(), file.name, language=language, fork=True)
    return Witness(path, parsed.text, parsed.language, tuple(parsed.passages))


# -- output --------------------------------------------------------------------------------


def _record(item: WitnessLink) -> dict:
    link = item.link
    record = {"kind": link.kind, "a_doc": item.a_doc, "a": _pair(link.a), "b_doc": item.b_doc,
              "b": _pair(link.b), "score": float(link.score)}
    if link.kind in VARIANT_KINDS:
        record["variants"] = [v.as_dict() for v in item.variants]
    return record


def _flagged(item: WitnessLink) -> str:
    """The meaningful variants in words: "number: 30 → 60; negation: peut → ne peut pas"."""
    return "; ".join(f"{v.type}: {_inline(v.old)} → "
                     f"{_inline(v.new)}" for v in item.variants if v.flagged)


def _pair(span: Span | None) -> list[int] | None:
    return [span.start, span.end] if span else None


def _jsonl(witnesses: list[Witness], links: list[WitnessLink]) -> str:
    return "".join(json.dumps(_record(item), ensure_ascii=False) + "\n" for item in links)


def _csv(witnesses: list[Witness], links: list[WitnessLink]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in links:
        a, b = item.link.a, item.link.b
        variants = (json.dumps([v.as_dict() for v in item.variants], ensure_ascii=False)
                    if item.link.kind in VARIANT_KINDS else "")
        writer.writerow([item.link.kind, item.a_doc, a.start if a else "", a.end if a else "",
                         item.b_doc, b.start if b else "", b.end if b else "", item.link.score,
                         variants, _flagged(item)])
    return out.getvalue()


def _summary(witnesses: list[Witness], links: list[WitnessLink]) -> str:
    base, others = witnesses[0], witnesses[1:]
    lines = [f"Base: {base.name} ({base.language or 'language unknown'}, "
             f"{len(base.passages)} passages)", ""]
    lines += _count_table(base, others, links)
    lines += [""] + _removed_report(base, others, links)
    lines += [""] + _meaning_report(base, others, links)
    if _translation_unavailable(base, others):
        lines += ["", "Note: the search across languages is not installed, so no translated "
                  "passages were looked for."]
    return "\n".join(lines) + "\n"


def _inline(text: str) -> str:
    return " ".join(text.split()) or "(nothing)"


def _meaning_report(base: Witness, others: list[Witness], links: list[WitnessLink]
                    ) -> list[str]:
    by_name = {w.name: w for w in others}
    flagged = [(item, v) for item in links for v in item.variants if v.flagged]
    if not flagged:
        return ["No figure, date, name, negation or obligation changed; the languages agree "
                "on every figure and date."]
    lines = [f"Changes that may alter the meaning ({len(flagged)}):"]
    for item, variant in flagged:
        verb = "disagrees with" if item.link.kind == "translated" else "in"
        where = _holding(base, (variant.a or item.link.a).start)
        there = _holding(by_name[item.b_doc], (variant.b or item.link.b).start)
        lines.append(f"  {variant.type:<9} {where} {verb} {item.b_doc} {there}: "
                     f"{_inline(variant.old)} → {_inline(variant.new)}")
    return lines


def _translation_unavailable(base: Witness, others: list[Witness]) -> bool:
    if all(same_language(base.language, w.language) for w in others):
        return False
    try:
        import sources.crosslingual  # noqa: F401
    except ImportError:
        return True
    return False


def _count_table(base: Witness, others: list[Witness], links: list[WitnessLink]) -> list[str]:
    counts = Counter((item.b_doc, item.link.kind) for item in links)
    width = max(len(w.name) for w in others) + 2
    rows = [f"{'witness':<{width}}{'lang':<7}" + "".join(f"{kind:>11}" for kind in LINK_KINDS)]
    for witness in others:
        cells = "".join(f"{counts[(witness.name, kind)]:>11}" for kind in LINK_KINDS)
        rows.append(f"{witness.name:<{width}}{(witness.language or '?'):<7}{cells}")
    return rows


def _removed_report(base: Witness, others: list[Witness], links: list[WitnessLink]) -> list[str]:
    final = next((w for w in others if same_language(base.language, w.language)), None)
    if final is None:
        return [f"No other file is in the language of {base.name}: nothing to call removed."]
    removed = [i.link for i in links if i.b_doc == final.name and i.link.kind == "removed"]
    if not removed:
        return [f"Nothing of {base.name} was removed in {final.name}."]
    lines = [f"Removed in {final.name} ({len(removed)}):"]
    for link in removed:
        lines.append(f"  {_where(base, link.a)} {_quote(link.a.slice(base.text))}")
        lines += _destinations(base, link.a, others, final, links)
    return lines


def _destinations(base: Witness, span: Span, others, final, links: list[WitnessLink]
                  ) -> list[str]:
    by_name = {w.name: w for w in others}
    found = [i for i in links if i.b_doc != final.name and i.link.a == span
             and i.link.kind in ("moved", "translated")]
    if not found:
        return ["      -> found in no other file"]
    verb = {"moved": "moved into", "translated": "translated in"}
    return [f"      -> {verb[i.link.kind]} {i.b_doc} {_where(by_name[i.b_doc], i.link.b)} "
            f"(score {i.link.score:.2f}): {_quote(i.link.b.slice(by_name[i.b_doc].text))}"
            + _partly(base, i) for i in found]


def _partly(base: Witness, item: WitnessLink) -> str:
    """The sentences a translation leaves out, on a line of their own, when there are any."""
    carried = item.carried
    if carried is None or not carried.missing:
        return ""
    kept = carried.sentences - len(carried.missing)
    return (f"\n         {kept} of {carried.sentences} sentences there; missing: "
            + " ".join(_quote(s.slice(base.text)) for s in carried.missing))


def _where(witness: Witness, span: Span) -> str:
    numbers = [k for k, p in enumerate(witness.passages, 1) if span.start <= p.start < span.end]
    return f"¶{numbers[0]}" if numbers else f"[{span.start}:{span.end}]"


def _holding(witness: Witness, offset: int) -> str:
    """The paragraph that holds ``offset``: "¶3"."""
    for number, passage in enumerate(witness.passages, 1):
        if passage.start <= offset < passage.end or offset == passage.end:
            return f"¶{number}"
    return f"[{offset}]"


def _quote(text: str) -> str:
    words = text.split()
    return "“" + " ".join(words[:QUOTE_WORDS]) + ("…" if len(words) > QUOTE_WORDS else "") + "”"
