"""What the scholar's own browser remembers between visits: small values in ``localStorage``.

The scholar's name, for one, is asked once per browser rather than once per tab or
reload. The value stays in that browser (several colleagues on one workbench each
keep their own); nothing is sent anywhere else. A Components v2 widget with no
visible content: it reads the stored value when it first appears and reports it
once, and writes the value when the scholar has changed it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

_JS = r"""
export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const slot = "palimpsest." + data.name;
  let stored = null;
  try { stored = window.localStorage.getItem(slot); } catch (error) { return; }
  if (data.changed) {
    if (data.value) window.localStorage.setItem(slot, data.value);
    else window.localStorage.removeItem(slot);
  } else if (stored && stored !== data.value && !parentElement.__palimpsestRecalled) {
    parentElement.__palimpsestRecalled = true;
    setStateValue("stored", stored);
  }
}
"""

_COMPONENT = st.components.v2.component("palimpsest.browser_memory", js=_JS)


def browser_memory(name: str, value: str, *, changed: bool, key: str,
                   on_recall: Callable[[], None]) -> None:
    """Keep ``value`` under ``name`` in this browser when ``changed``; otherwise offer the
    stored value once: ``on_recall`` runs (before the next rerun) with it in
    ``st.session_state[key].stored``."""
    _COMPONENT(key=key, data={"name": name, "value": value, "changed": changed},
               on_stored_change=on_recall, height=0)


def recalled(key: str) -> str:
    """The value the browser offered to widget ``key`` (empty when none)."""
    state = st.session_state.get(key)
    value = state.get("stored") if hasattr(state, "get") else None
    return value.strip() if isinstance(value, str) else ""
