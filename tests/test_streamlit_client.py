"""The load benchmark's protocol client reads pages as the browser renders them (from Streamlit's protobufs)."""

import pytest
from streamlit.proto.Block_pb2 import Block
from streamlit.proto.Element_pb2 import Element

from benchmarks.streamlit_client import Page, ProtocolError


def page_with_widgets() -> Page:
    page = Page(url_path="join")
    code = Element()
    code.text_input.id, code.text_input.label, code.text_input.form_id = "id-code", "Join code", "join"
    region = Element()
    region.selectbox.id, region.selectbox.label = "id-region", "Where do you live?"
    region.selectbox.options[:] = ["Wales", "Scotland"]
    hidden = Element()
    hidden.button_group.id, hidden.button_group.label = "id-vote", "Your vote"
    hidden.button_group.label_visibility.value = 2  # collapsed
    note = Element()
    note.markdown.body = "Thank you\\. Your proposal is published\\!"
    bar = Element()
    bar.progress.text = "3 votes · 2 more to see where Wales stands"
    page.elements = {(0, 0): code, (0, 1): region, (0, 2): hidden, (0, 3): note, (0, 4): bar}
    expander = Block()
    expander.expandable.label = "Change an earlier vote (3)"
    page.blocks = {(0, 5): expander}
    return page


def test_widgets_come_with_their_ids_forms_options_and_label_visibility():
    widgets = {widget.label: widget for widget in page_with_widgets().widgets()}
    assert widgets["Join code"].id == "id-code" and widgets["Join code"].form_id == "join"
    assert widgets["Where do you live?"].options == ("Wales", "Scotland")
    assert widgets["Your vote"].label_visible is False


def test_text_reads_as_shown_without_markdown_escapes():
    page = page_with_widgets()
    assert page.shows("Thank you. Your proposal is published!")
    assert page.shows("3 votes ·")
    assert page.shows("Change an earlier vote (3)")
    assert not page.shows("Your proposal will appear once")


def test_a_missing_widget_names_what_the_page_has_instead():
    with pytest.raises(ProtocolError, match="no button labelled 'Join'.*Join code"):
        page_with_widgets().widget("Join", "button")
