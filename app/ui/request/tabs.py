"""The request editor's tabs. Each is built the first time it is shown, from the current draft.

Building tabs lazily keeps startup fast (a hidden tab costs nothing until opened). Every tab can
`show()` a draft and `collect()` its fields into one, so the editor never reads a tab that does not exist.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, OptionList, Select, TextArea
from textual.widgets.option_list import Option

from app.model.request_definition import AuthType, BodyType, SavedMessage
from app.ui.request.draft import AuthDraft, RequestDraft, enum_choices
from app.ui.request.url_bar import VariableHighlighter
from app.vocabulary import ParseMode, WsFormat

E = TypeVar("E", bound=Enum)


class EditorTab(Vertical):
    """One tab's content: built from a draft, able to show another and to collect its edits."""

    def __init__(self, draft: RequestDraft, highlighter: VariableHighlighter) -> None:
        super().__init__()
        self._draft = draft
        self._highlighter = highlighter

    def on_mount(self) -> None:
        self.show(self._draft)

    def show(self, draft: RequestDraft) -> None:
        """Put `draft`'s fields into the widgets."""
        raise NotImplementedError

    def collect(self, draft: RequestDraft) -> RequestDraft:
        """`draft` with this tab's fields as edited."""
        raise NotImplementedError

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", TextArea).text

    def _input(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def _select(self, widget_id: str, default: str) -> str:
        value = self.query_one(f"#{widget_id}", Select).value
        return str(value) if value is not Select.BLANK else default

    def _choice(self, widget_id: str, kind: type[E], default: E) -> E:
        value = self.query_one(f"#{widget_id}", Select).value
        return kind(value) if value is not Select.BLANK else default

    def _set_text(self, widget_id: str, text: str) -> None:
        area = self.query_one(f"#{widget_id}", TextArea)
        if area.text != text:
            area.load_text(text)


class PairsTab(EditorTab):
    """Params or headers: one `name=value` / `Name: value` per line."""

    def __init__(self, draft: RequestDraft, highlighter: VariableHighlighter, field: str, hint: str) -> None:
        super().__init__(draft, highlighter)
        self._field = field
        self._hint = hint

    def compose(self) -> ComposeResult:
        yield Label(self._hint, classes="hint")
        yield TextArea(id=self._field, soft_wrap=False)

    def show(self, draft: RequestDraft) -> None:
        self._set_text(self._field, getattr(draft, self._field))

    def collect(self, draft: RequestDraft) -> RequestDraft:
        return draft.with_changes(**{self._field: self._text(self._field)})


class BodyTab(EditorTab):
    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Body type")
            yield Select(enum_choices(BodyType), value=BodyType.NONE, allow_blank=False, id="body-type", compact=True)
        yield TextArea.code_editor("", language="json", id="body")

    def show(self, draft: RequestDraft) -> None:
        self.query_one("#body-type", Select).value = draft.body_type
        self._set_text("body", draft.body)

    def collect(self, draft: RequestDraft) -> RequestDraft:
        return draft.with_changes(body_type=self._choice("body-type", BodyType, BodyType.NONE), body=self._text("body"))


_AUTH_FIELDS = (
    ("auth-token", "Bearer token", True, "token"),
    ("auth-username", "Username", False, "username"),
    ("auth-password", "Password", True, "password"),
    ("auth-key-name", "Key name", False, "key_name"),
    ("auth-key-value", "Key value", True, "key_value"),
)


class AuthTab(EditorTab):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            with Horizontal(classes="row"):
                yield Label("Type")
                yield Select(enum_choices(AuthType), value=AuthType.NONE, allow_blank=False, id="auth-type", compact=True)
            for field_id, label, password, _attribute in _AUTH_FIELDS:
                with Horizontal(classes="row"):
                    yield Label(label)
                    yield Input(id=field_id, password=password, highlighter=self._highlighter, compact=True)
            with Horizontal(classes="row"):
                yield Label("Key in")
                yield Select([("header", "header"), ("query", "query")], value="header", allow_blank=False, id="auth-key-in",
                             compact=True)

    def show(self, draft: RequestDraft) -> None:
        auth = draft.auth
        self.query_one("#auth-type", Select).value = auth.type
        for field_id, _label, _password, attribute in _AUTH_FIELDS:
            self.query_one(f"#{field_id}", Input).value = getattr(auth, attribute)
        self.query_one("#auth-key-in", Select).value = auth.key_in

    def collect(self, draft: RequestDraft) -> RequestDraft:
        values = {attribute: self._input(field_id) for field_id, _label, _password, attribute in _AUTH_FIELDS}
        return draft.with_changes(auth=AuthDraft(
            type=self._choice("auth-type", AuthType, AuthType.NONE), key_in=self._select("auth-key-in", "header"), **values,
        ))


class StreamTab(EditorTab):
    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Parse mode")
            yield Select(enum_choices(ParseMode), value=ParseMode.AUTO, allow_blank=False, id="parse-mode", compact=True)
        with Horizontal(classes="row"):
            yield Label("Merge profile")
            yield Input(placeholder="auto-detect (openai, anthropic, gemini, ollama, …)", id="merge-profile",
                        compact=True)
        yield Label("Custom JSONPath rules, one per line: $.choices[0].delta.content | reasoning=$.path",
                    classes="hint")
        yield TextArea(id="merge-rules", soft_wrap=False)
        yield Checkbox("Reconnect: resume an SSE stream with Last-Event-ID (sends the request again)",
                       id="reconnect", compact=True)

    def show(self, draft: RequestDraft) -> None:
        self.query_one("#parse-mode", Select).value = draft.parse_mode
        self.query_one("#merge-profile", Input).value = draft.merge_profile
        self._set_text("merge-rules", draft.merge_rules)
        self.query_one("#reconnect", Checkbox).value = draft.reconnect

    def collect(self, draft: RequestDraft) -> RequestDraft:
        return draft.with_changes(
            parse_mode=self._choice("parse-mode", ParseMode, ParseMode.AUTO),
            merge_profile=self._input("merge-profile").strip(),
            merge_rules=self._text("merge-rules"),
            reconnect=self.query_one("#reconnect", Checkbox).value,
        )


class MessagesTab(EditorTab):
    """The WebSocket composer: what to send next, in which format, and the saved messages."""

    _messages: tuple[SavedMessage, ...] = ()

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Format")
            yield Select(enum_choices(WsFormat), value=WsFormat.TEXT, allow_blank=False, id="ws-format", compact=True)
        yield Label("Message to send (Ctrl+J once connected); saved messages below — Enter loads one",
                    classes="hint")
        yield TextArea(id="ws-composer")
        yield OptionList(id="ws-saved")

    def show(self, draft: RequestDraft) -> None:
        self._messages = draft.messages
        saved = self.query_one("#ws-saved", OptionList)
        saved.clear_options()
        saved.add_options(
            # A Text, not a str: the `[format]` prefix would otherwise be read as Rich markup and vanish.
            Option(Text(f"[{message.format}] {message.name or message.content[:40]}"), id=str(index))
            for index, message in enumerate(draft.messages)
        )

    def collect(self, draft: RequestDraft) -> RequestDraft:
        return draft

    def composer_message(self) -> SavedMessage:
        return SavedMessage(self._text("ws-composer"), self._choice("ws-format", WsFormat, WsFormat.TEXT))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        event.stop()
        message = self._messages[int(event.option.id)]
        self._set_text("ws-composer", message.content)
        self.query_one("#ws-format", Select).value = message.format


def build_tab(tab_id: str, draft: RequestDraft, highlighter: VariableHighlighter) -> EditorTab:
    """The content of the tab `tab_id`, made from `draft`."""
    if tab_id == "tab-params":
        return PairsTab(draft, highlighter, "params", "One per line: name=value  (# disables a line)")
    if tab_id == "tab-headers":
        return PairsTab(draft, highlighter, "headers", "One per line: Name: value  (# disables a line)")
    if tab_id == "tab-extract":
        return PairsTab(draft, highlighter, "extract",
                        "One per line: variable = body $.path | header Name | sse:EVENT $.path | ndjson:TYPE $.path")
    builders = {"tab-body": BodyTab, "tab-auth": AuthTab, "tab-stream": StreamTab, "tab-messages": MessagesTab}
    return builders[tab_id](draft, highlighter)


TAB_TITLES = (
    ("tab-params", "Params"), ("tab-headers", "Headers"), ("tab-body", "Body"), ("tab-auth", "Auth"),
    ("tab-stream", "Stream"), ("tab-messages", "Messages"), ("tab-extract", "Extract"),
)
