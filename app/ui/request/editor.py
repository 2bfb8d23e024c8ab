"""The request editor: URL bar and tabs for params, headers, body, auth, stream, messages and extraction."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Select, TabbedContent, TabPane, TextArea
from textual.widgets.option_list import Option

from app.ui.request.draft import AUTH_TYPES, BODY_TYPES, PARSE_MODES, WS_FORMATS, AuthDraft, RequestDraft, SavedMessage
from app.ui.request.url_bar import UrlBar, VariableHighlighter


def _json_highlighting_available() -> bool:
    # TextArea highlights JSON only with the optional tree-sitter grammars (textual[syntax]).
    try:
        import tree_sitter_json  # noqa: F401
    except ImportError:
        return False
    return True


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class RequestEditor(Vertical):
    """Edits one `RequestDraft`; tells the screen when its unsaved state changes."""

    DEFAULT_CSS = """
    RequestEditor { border: round $panel; border-title-color: $text-muted; }
    RequestEditor:focus-within { border: round $primary; }
    RequestEditor TabbedContent { height: 1fr; }
    RequestEditor TabPane { padding: 0; }
    RequestEditor TextArea { height: 1fr; min-height: 3; border: none; }
    RequestEditor TextArea:focus { border: none; }
    RequestEditor .row { height: 1; margin-bottom: 1; }
    RequestEditor .row Label { padding: 0 1 0 0; width: 14; }
    RequestEditor .row Input { width: 1fr; }
    RequestEditor .row Select { width: 24; }
    RequestEditor #ws-saved { height: 5; border: none; }
    RequestEditor .hint { color: $text-muted; height: 1; }
    """

    class DirtyChanged(Message):
        """The editor's content now differs (or no longer differs) from what was saved."""

        def __init__(self, dirty: bool) -> None:
            super().__init__()
            self.dirty = dirty

    def __init__(self, highlighter: VariableHighlighter, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Request"
        self._highlighter = highlighter
        self._saved = RequestDraft()
        self._name = self._saved.name
        self._messages: tuple[SavedMessage, ...] = ()
        self._description = ""
        self.path: Path | None = None
        """The request's file, or None for a request not saved yet."""
        self._dirty = False

    def compose(self) -> ComposeResult:
        yield UrlBar(self._highlighter)
        with TabbedContent(id="request-tabs"):
            with TabPane("Params", id="tab-params"):
                yield Label("One per line: name=value  (# disables a line)", classes="hint")
                yield TextArea(id="params", soft_wrap=False)
            with TabPane("Headers", id="tab-headers"):
                yield Label("One per line: Name: value  (# disables a line)", classes="hint")
                yield TextArea(id="headers", soft_wrap=False)
            with TabPane("Body", id="tab-body"):
                with Horizontal(classes="row"):
                    yield Label("Body type")
                    yield Select(_choices(BODY_TYPES), value="none", allow_blank=False, id="body-type", compact=True)
                language = "json" if _json_highlighting_available() else None
                yield TextArea.code_editor("", language=language, id="body", show_line_numbers=True)
            with TabPane("Auth", id="tab-auth"):
                yield from self._compose_auth()
            with TabPane("Stream", id="tab-stream"):
                with Horizontal(classes="row"):
                    yield Label("Parse mode")
                    yield Select(_choices(PARSE_MODES), value="auto", allow_blank=False, id="parse-mode", compact=True)
                with Horizontal(classes="row"):
                    yield Label("Merge profile")
                    yield Input(placeholder="auto-detect (openai, anthropic, gemini, ollama, …)", id="merge-profile", compact=True)
                yield Label("Custom JSONPath rules, one per line: text = $.choices[0].delta.content", classes="hint")
                yield TextArea(id="merge-rules", soft_wrap=False)
            with TabPane("Messages", id="tab-messages"):
                with Horizontal(classes="row"):
                    yield Label("Format")
                    yield Select(_choices(WS_FORMATS), value="text", allow_blank=False, id="ws-format", compact=True)
                yield Label("Message to send (connect first); saved messages below — Enter loads one", classes="hint")
                yield TextArea(id="ws-composer")
                yield OptionList(id="ws-saved")
            with TabPane("Extract", id="tab-extract"):
                yield Label("One per line: variable = body $.path | header Name | event NAME $.path", classes="hint")
                yield TextArea(id="extract", soft_wrap=False)

    def _compose_auth(self) -> ComposeResult:
        with VerticalScroll():
            with Horizontal(classes="row"):
                yield Label("Type")
                yield Select(_choices(AUTH_TYPES), value="none", allow_blank=False, id="auth-type", compact=True)
            for field_id, label, password in (
                ("auth-token", "Bearer token", True),
                ("auth-username", "Username", False),
                ("auth-password", "Password", True),
                ("auth-key-name", "Key name", False),
                ("auth-key-value", "Key value", True),
            ):
                with Horizontal(classes="row"):
                    yield Label(label)
                    yield Input(id=field_id, password=password, highlighter=self._highlighter, compact=True)
            with Horizontal(classes="row"):
                yield Label("Key in")
                yield Select(_choices(("header", "query")), value="header", allow_blank=False, id="auth-key-in", compact=True)

    # -- reading and writing the widgets ---------------------------------------------------------

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", TextArea).text

    def _input(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def _select(self, widget_id: str) -> str:
        value = self.query_one(f"#{widget_id}", Select).value
        return str(value) if value is not Select.BLANK else ""

    @property
    def draft(self) -> RequestDraft:
        """The request as currently edited."""
        return RequestDraft(
            name=self._name,
            method=self._select("method") or "GET",
            url=self._input("url"),
            params=self._text("params"),
            headers=self._text("headers"),
            body_type=self._select("body-type") or "none",
            body=self._text("body"),
            auth=AuthDraft(
                type=self._select("auth-type") or "none",
                token=self._input("auth-token"),
                username=self._input("auth-username"),
                password=self._input("auth-password"),
                key_name=self._input("auth-key-name"),
                key_value=self._input("auth-key-value"),
                key_in=self._select("auth-key-in") or "header",
            ),
            parse_mode=self._select("parse-mode") or "auto",
            merge_profile=self._input("merge-profile").strip(),
            merge_rules=self._text("merge-rules"),
            messages=self._messages,
            extract=self._text("extract"),
            description=self._description,
        )

    @property
    def is_dirty(self) -> bool:
        return self._dirty

    def load(self, draft: RequestDraft, path: Path | None, *, saved: RequestDraft | None = None) -> None:
        """Show `draft`; `saved` (default: the draft itself) is what counts as unchanged."""
        self.path = path
        self._saved = saved if saved is not None else draft
        self._name = draft.name
        self._messages = draft.messages
        self._description = draft.description
        self.query_one("#method", Select).value = draft.method.upper() if draft.method else "GET"
        self.query_one("#url", Input).value = draft.url
        for widget_id, text in (
            ("params", draft.params), ("headers", draft.headers), ("body", draft.body),
            ("merge-rules", draft.merge_rules), ("extract", draft.extract),
        ):
            self.query_one(f"#{widget_id}", TextArea).load_text(text)
        self.query_one("#body-type", Select).value = draft.body_type
        auth = draft.auth
        self.query_one("#auth-type", Select).value = auth.type
        for widget_id, value in (
            ("auth-token", auth.token), ("auth-username", auth.username), ("auth-password", auth.password),
            ("auth-key-name", auth.key_name), ("auth-key-value", auth.key_value),
        ):
            self.query_one(f"#{widget_id}", Input).value = value
        self.query_one("#auth-key-in", Select).value = auth.key_in
        self.query_one("#parse-mode", Select).value = draft.parse_mode
        self.query_one("#merge-profile", Input).value = draft.merge_profile
        self._show_saved_messages()
        self._update_dirty()

    def mark_saved(self, draft: RequestDraft, path: Path) -> None:
        """The draft is now on disk at `path`."""
        self._saved = draft
        self.path = path
        self._update_dirty()

    def rename(self, name: str) -> None:
        self._name = name
        self._update_dirty()

    # -- WebSocket composer ----------------------------------------------------------------------

    def composer_message(self) -> SavedMessage:
        """What the Messages tab would send now."""
        return SavedMessage(name="", content=self._text("ws-composer"), format=self._select("ws-format") or "text")

    def _show_saved_messages(self) -> None:
        saved = self.query_one("#ws-saved", OptionList)
        saved.clear_options()
        saved.add_options(
            Option(f"[{message.format}] {message.name or message.content[:40]}", id=str(index))
            for index, message in enumerate(self._messages)
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "ws-saved" or event.option.id is None:
            return
        event.stop()
        message = self._messages[int(event.option.id)]
        self.query_one("#ws-composer", TextArea).load_text(message.content)
        self.query_one("#ws-format", Select).value = message.format

    # -- unsaved-changes tracking ----------------------------------------------------------------

    def _update_dirty(self) -> None:
        dirty = self.draft != self._saved or self.path is None
        title = self.query_one("#title", Label)
        title.update(f"{'● ' if dirty else ''}{self._name}")
        title.set_class(dirty, "-dirty")
        self.border_subtitle = str(self.path.name) if self.path else "not saved"
        if dirty != self._dirty:
            self._dirty = dirty
            self.post_message(self.DirtyChanged(dirty))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id != "ws-composer":
            self._update_dirty()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._update_dirty()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "ws-format":
            self._update_dirty()
