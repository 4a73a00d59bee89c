"""A Streamlit tab without a browser: one session spoken over Streamlit's own websocket protocol.

It says what Streamlit's frontend says: it opens `/_stcore/stream`, sends `BackMsg.rerun_script` with the page, the
query string and the widget values, and reads the `ForwardMsg`s that come back: the elements a run puts on the
page (deltas), page changes (`navigation`, `page_info_changed`) and the end of the run (`script_finished`). Widget
ids come from the deltas, as in the browser, so when a page changes a simulated member fails on a missing label
instead of sending requests the product no longer understands. A few hundred tabs cost a few percent of a core.

Not spoken: static files (index.html and the JavaScript bundle, which the browser caches), the forward-message
cache (the client reports no cached messages, so every element arrives in full), heartbeats.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

# element kinds that are widgets, and the WidgetState field their value travels in
VALUE_FIELDS = {"text_input": "string_value", "text_area": "string_value", "selectbox": "string_value",
                "checkbox": "bool_value", "button": "trigger_value", "button_group": "string_array_value",
                "radio": "string_value"}
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!:|<>~$])")  # st.markdown-escaped user text, read back as shown
FINISHED = ForwardMsg.ScriptFinishedStatus.Name


class ProtocolError(RuntimeError):
    """The server did not answer as the browser would expect (a missing widget, an error, no end of run)."""


@dataclass(frozen=True)
class Widget:
    kind: str
    id: str
    label: str
    form_id: str
    label_visible: bool
    options: tuple[str, ...] = ()


@dataclass
class Page:
    """What one script run put on the screen, by delta path (the position in the page's tree)."""

    url_path: str = ""
    elements: dict[tuple[int, ...], object] = field(default_factory=dict)
    blocks: dict[tuple[int, ...], object] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)

    def widgets(self) -> list[Widget]:
        found = []
        for path in sorted(self.elements):
            element = self.elements[path]
            kind = element.WhichOneof("type")
            if kind not in VALUE_FIELDS:
                continue
            proto = getattr(element, kind)
            visibility = proto.label_visibility.value if hasattr(proto, "label_visibility") else 0
            options = tuple(getattr(proto, "options", ()) if kind != "button_group" else
                            (option.content for option in proto.options))
            # LabelVisibility: 0 visible, 1 hidden, 2 collapsed
            found.append(Widget(kind, proto.id, proto.label, getattr(proto, "form_id", ""), visibility == 0,
                                options))
        return found

    def widget(self, label: str, kind: str | None = None) -> Widget:
        for widget in self.widgets():
            if widget.label == label and (kind is None or widget.kind == kind):
                return widget
        raise ProtocolError(f"no {kind or 'widget'} labelled {label!r} on {self.url_path or 'the default page'}; "
                            f"the page has {[w.label for w in self.widgets()]}")

    def page_links(self) -> dict[str, object]:
        links = {}
        for element in self.elements.values():
            if element.WhichOneof("type") == "page_link":
                links[element.page_link.label] = element.page_link
        return links

    def texts(self) -> list[str]:
        """The text a member reads: headings, paragraphs, plain text, alerts, progress captions, expander titles."""
        out = []
        for path in sorted(self.elements):
            element = self.elements[path]
            kind = element.WhichOneof("type")
            if kind in ("markdown", "heading", "alert"):
                out.append(MARKDOWN_ESCAPE.sub(r"\1", getattr(element, kind).body))
            elif kind == "text":
                out.append(element.text.body)
            elif kind == "code":
                out.append(element.code.code_text)
            elif kind == "progress":
                out.append(element.progress.text)
        out += [block.expandable.label for block in self.blocks.values() if block.WhichOneof("type") == "expandable"]
        return out

    def shows(self, fragment: str) -> bool:
        return any(fragment in text for text in self.texts())


class StreamlitTab:
    """One browser tab's session. `forwarded_for` sets X-Forwarded-For, which a server started with
    CONSULT_TRUSTED_PROXIES=127.0.0.1 believes (the client stands in for the balancer), so simulated members arrive
    from their own addresses as they would through a proxy; any other server ignores it."""

    def __init__(self, base_url: str, *, forwarded_for: str | None = None, timeout: float = 60.0,
                 local_address: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.forwarded_for = forwarded_for
        self.local_address = local_address  # connect from this address (another 127.x: another client)
        self.timeout = timeout
        self.query_string = ""
        self.page = Page()
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self._page_hash = ""
        self._values: dict[str, WidgetState] = {}
        self._socket = None

    async def open(self, url_path: str = "", query_string: str = "") -> float:
        """Connect and run the page at `url_path` ('' is the default page); returns the seconds it took."""
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        headers = {"Origin": self.base_url}
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        started = time.perf_counter()
        extra = {"local_addr": (self.local_address, 0)} if self.local_address else {}
        self._socket = await websockets.connect(f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream",
                                                subprotocols=["streamlit"], additional_headers=headers,
                                                max_size=None, open_timeout=self.timeout, ping_interval=None, **extra)
        self.query_string = query_string
        await self._run(page_name=url_path)
        return time.perf_counter() - started

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None

    async def go(self, url_path: str) -> float:
        """Follow a page link, as a tap on it does: the link's page and query string."""
        for link in self.page.page_links().values():
            if self._path_of(link.page_script_hash) == url_path:
                self.query_string = link.query_string
                return await self._timed(page_hash=link.page_script_hash)
        if url_path not in self.pages:
            raise ProtocolError(f"no page {url_path!r}; the app has {sorted(self.pages)}")
        return await self._timed(page_hash=self.pages[url_path])

    def fill(self, label: str, value: str | bool, kind: str | None = None) -> Widget:
        """Type into / tick / choose in a widget without running the page (a form widget, until its submit)."""
        widget = self.page.widget(label, kind)
        state = WidgetState(id=widget.id)
        value_field = VALUE_FIELDS[widget.kind]
        if widget.kind == "selectbox" and value not in widget.options:
            raise ProtocolError(f"{value!r} is not an option of {label!r}")
        if value_field == "string_array_value":
            state.string_array_value.data[:] = [value]
        else:
            setattr(state, value_field, value)
        self._values[widget.id] = state
        return widget

    async def change(self, label: str, value: str | bool, kind: str | None = None) -> float:
        """Change a widget outside a form: the browser runs the page at once (on blur, for text)."""
        widget = self.fill(label, value, kind)
        if widget.form_id:
            raise ProtocolError(f"{label!r} is in a form: fill it and press the form's button")
        return await self._timed()

    async def click(self, label: str) -> float:
        """Press a button (a form's submit button sends the form's values with it)."""
        widget = self.page.widget(label, "button")
        trigger = WidgetState(id=widget.id, trigger_value=True)
        return await self._timed(trigger=trigger)

    async def press(self, widget: Widget) -> float:
        """Press a button seen earlier, as a quick second tap does before the browser shows the new page."""
        return await self._timed(trigger=WidgetState(id=widget.id, trigger_value=True))

    async def _timed(self, **kwargs) -> float:
        started = time.perf_counter()
        await self._run(**kwargs)
        return time.perf_counter() - started

    def _path_of(self, page_hash: str) -> str | None:
        return next((path for path, known in self.pages.items() if known == page_hash), None)

    async def _run(self, *, page_name: str = "", page_hash: str | None = None,
                   trigger: WidgetState | None = None) -> None:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = page_hash if page_hash is not None else self._page_hash
        state.page_name = page_name
        if page_hash is None or page_hash == self._page_hash:
            # the browser sends the values of the widgets on the page it shows (triggers only once)
            on_page = {widget.id for widget in self.page.widgets()}
            state.widget_states.widgets.extend(value for wid, value in self._values.items() if wid in on_page)
        else:
            self._values.clear()
        if trigger is not None:
            state.widget_states.widgets.append(trigger)
        await self._socket.send(message.SerializeToString())
        await asyncio.wait_for(self._read_until_finished(), self.timeout)

    async def _read_until_finished(self) -> None:
        page = Page(url_path=self._path_of(self._page_hash) or "")
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self._socket.recv())
            kind = message.WhichOneof("type")
            if kind == "new_session":
                # every run starts with one; a switch_page or st.rerun starts another run
                page = Page(url_path=page.url_path)
                for app_page in message.new_session.app_pages:
                    self.pages[app_page.url_pathname] = app_page.page_script_hash
                self._page_hash = message.new_session.page_script_hash or self._page_hash
            elif kind == "navigation":
                self._page_hash = message.navigation.page_script_hash
                for app_page in message.navigation.app_pages:
                    self.pages[app_page.url_pathname] = app_page.page_script_hash
                page.url_path = self._path_of(self._page_hash) or ""
            elif kind == "page_info_changed":
                self.query_string = message.page_info_changed.query_string
            elif kind == "delta":
                path = tuple(message.metadata.delta_path)
                delta = message.delta
                if delta.WhichOneof("type") == "new_element":
                    page.elements[path] = delta.new_element
                    if delta.new_element.WhichOneof("type") == "exception":
                        page.exceptions.append(delta.new_element.exception.message)
                elif delta.WhichOneof("type") == "add_block":
                    page.blocks[path] = delta.add_block
            elif kind == "script_finished":
                status = FINISHED(message.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    continue
                self.page = page
                if status == "FINISHED_WITH_COMPILE_ERROR" or page.exceptions:
                    raise ProtocolError(f"the page failed: {status} {page.exceptions[:1]}")
                return
