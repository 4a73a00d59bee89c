"""Shared page pieces: every message that echoes user or file content shows it as text."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

PAYLOAD = "report.csv **bold** [phish](https://example.org) ![pixel](http://127.0.0.1:9/t.png) :red[RED] $x^2$"


def _page(payload: str) -> None:
    import streamlit as st

    from consult.app.components import caption, say, show_messages

    say("error", f"{payload} is not a readable CSV file")
    say("warning", payload)
    caption(payload)
    st.session_state["messages"] = {"success": [payload]}
    show_messages("messages")


def test_messages_escape_markdown_from_names_and_cells():
    at = AppTest.from_function(_page, args=(PAYLOAD,)).run()
    assert not at.exception
    shown = [at.error[0].value, at.warning[0].value, at.caption[0].value, at.success[0].value]
    for value in shown:
        # every character Markdown would act on is escaped, so the link, image and colour stay literal text
        assert r"\*\*bold\*\*" in value and r"\[phish\]\(https\://example\.org\)" in value
        assert r"\!\[pixel\]" in value and r"\:red\[RED\]" in value and r"\$x\^2\$" in value
