"""One module per file format; each turns bytes into a :class:`sources.model.ParsedDocument`.

:mod:`sources.ingest` chooses the format and is the only public entry point.
Structured formats write their blocks through :class:`sources.formats.reading.ReadingText`
so that every format yields the same shape of text: blocks separated by exactly
one blank line, pages as spans in that text.
"""
