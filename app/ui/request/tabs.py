"""The request editor's tabs. Each is built the first time it is shown, from the current draft.

Building tabs lazily keeps startup fast (a hidden tab costs nothing until opened). Every tab can
`show()` a draft and `collect()` its fields into one, so the editor never reads a tab that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Label, Select

from app.model.request_definition import AuthType, BodyType
from app.terminal_text import safe_line
from app.ui.fields import Input, TextArea
from app.ui.request.draft import AuthDraft, RequestDraft, enum_choices
from app.ui.request.editor_tab import EditorKeys, EditorTab
from app.ui.request.masked_area import MaskedArea
from app.ui.request.masked_text import mask_header_lines, mask_param_lines
from app.ui.request.url_bar import VariableHighlighter
from app.ui.request.url_query import has_query, line_pieces, query_lines, query_pieces
from app.ui.response.tab_stack import TabSpec
from app.vocabulary import ParseMode, RuleMode


class PairsTab(EditorTab):
    """Params or headers: one `name=value` / `Name: value` per line; credentials shown as `****` unless
    revealed (`masker` says which; a tab without one, Extract, hides nothing)."""

    def __init__(self, draft: RequestDraft, highlighter: VariableHighlighter, field: str, hint: str,
                 masker: Callable[[str], str] | None = None) -> None:
        super().__init__(draft, highlighter)
        self._field = field
        self._hint = hint
        self._masker = masker

    def compose(self) -> ComposeResult:
        yield Label(self._hint, classes="hint")
        if self._masker is None:
            yield TextArea(id=self._field, soft_wrap=False)
        else:
            yield MaskedArea(self._masker, id=self._field)

    def show(self, draft: RequestDraft) -> None:
        real = getattr(draft, self._field)
        if self._masker is not None:
            self.query_one(f"#{self._field}", MaskedArea).show_real(real)
        else:
            self._set_text(self._field, real)

    def collect(self, draft: RequestDraft) -> RequestDraft:
        if self._masker is not None:
            return draft.with_changes(**{self._field: self.query_one(f"#{self._field}", MaskedArea).real})
        return draft.with_changes(**{self._field: self._text(self._field)})

    def reveal(self, shown: bool) -> None:
        for area in self.query(MaskedArea):
            area.reveal(shown)


class ParamsTab(PairsTab):
    """The `[params]` table, and beside it the URL's own query, a piece a line, edited here or in the URL
    (the editor keeps the two in step: `url_query.py`). The query's column shows while the URL has a query
    (typing `?` in the URL brings it); nothing moves between it and the table, so a file saves as it was.

    Side by side, not one above the other: at 100x30 the tab has six rows, and stacked (three labels and
    two areas) the `[params]` area was left one row, scrolled out of view whenever the focus was elsewhere."""

    DEFAULT_CSS = """
    ParamsTab #params-columns { height: 1fr; }
    ParamsTab .params-column { width: 1fr; height: 1fr; }
    /* A rule between the two columns: without it the URL's query and `[params]` read as one list. */
    ParamsTab #url-query-column { display: none; margin-right: 1; border-right: solid $panel-lighten-2; }
    ParamsTab #params-title { display: none; }
    ParamsTab.-url-query #url-query-column, ParamsTab.-url-query #params-title { display: block; }
    ParamsTab .column-title { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, draft: RequestDraft, highlighter: VariableHighlighter, hint: str) -> None:
        super().__init__(draft, highlighter, "params", hint, mask_param_lines)

    def compose(self) -> ComposeResult:
        yield Label(self._hint, classes="hint")
        with Horizontal(id="params-columns"):
            with Vertical(id="url-query-column", classes="params-column"):
                yield Label("In the URL's query:", classes="hint column-title")
                yield MaskedArea(mask_param_lines, id="url-query")
            with Vertical(classes="params-column"):
                # A Text: `[params]` is no markup.
                yield Label(Text("Sent after it ([params]):"), id="params-title", classes="hint column-title")
                yield MaskedArea(mask_param_lines, id="params")

    def show(self, draft: RequestDraft) -> None:
        super().show(draft)
        self.show_url_query(draft.url)

    def show_url_query(self, url: str) -> str | None:
        """Show the real `url`'s query in its area, unless the area already says the same pieces; the
        area's text if it was written."""
        self.set_class(has_query(url), "-url-query")
        area = self.query_one("#url-query", MaskedArea)
        if line_pieces(area.real) == query_pieces(url):
            return None
        before = area.text
        area.show_real(query_lines(url))
        return area.text if area.text != before else None


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
_AUTH_FIELD_TYPES = {
    "auth-token": AuthType.BEARER, "auth-username": AuthType.BASIC, "auth-password": AuthType.BASIC,
    "auth-key-name": AuthType.API_KEY, "auth-key-value": AuthType.API_KEY, "auth-key-in": AuthType.API_KEY,
}
"""The one auth type each field is for: only its fields are shown (a token typed under `none` was never sent)."""


class AuthTab(EditorTab):
    def compose(self) -> ComposeResult:
        # Not a focus stop of its own: Tab goes from field to field, each scrolled into view.
        with VerticalScroll(can_focus=False):
            with Horizontal(classes="row"):
                yield Label("Type")
                yield Select(enum_choices(AuthType), value=AuthType.NONE, allow_blank=False, id="auth-type", compact=True)
            for field_id, label, password, _attribute in _AUTH_FIELDS:
                with Horizontal(classes="row auth-field"):
                    yield Label(label)
                    yield Input(id=field_id, password=password, highlighter=self._highlighter, compact=True)
            with Horizontal(classes="row auth-field"):
                yield Label("Key in")
                yield Select([("header", "header"), ("query", "query")], value="header", allow_blank=False, id="auth-key-in",
                             compact=True)

    def show(self, draft: RequestDraft) -> None:
        auth = draft.auth
        self.query_one("#auth-type", Select).value = auth.type
        for field_id, _label, _password, attribute in _AUTH_FIELDS:
            self.query_one(f"#{field_id}", Input).value = getattr(auth, attribute)
        self.query_one("#auth-key-in", Select).value = auth.key_in
        self._show_fields_of(auth.type)

    @on(Select.Changed, "#auth-type")
    def _type_changed(self, event: Select.Changed) -> None:
        self._show_fields_of(self._choice("auth-type", AuthType, AuthType.NONE))

    def _show_fields_of(self, kind: AuthType) -> None:
        # Hidden fields keep their values (the draft has them all), so switching back finds them again.
        for row in self.query(".auth-field"):
            field = next(iter(row.query("Input, Select")))
            row.display = field.id is not None and _AUTH_FIELD_TYPES[field.id] is kind

    def reveal(self, shown: bool) -> None:
        for field_id, _label, password, _attribute in _AUTH_FIELDS:
            if password:
                self.query_one(f"#{field_id}", Input).password = not shown

    def collect(self, draft: RequestDraft) -> RequestDraft:
        values = {attribute: self._input(field_id) for field_id, _label, _password, attribute in _AUTH_FIELDS}
        return draft.with_changes(auth=AuthDraft(
            type=self._choice("auth-type", AuthType, AuthType.NONE), key_in=self._select("auth-key-in", "header"), **values,
        ))


def rule_problems(text: str) -> list[str]:
    """One sentence per custom-rule line whose JSONPath does not parse (`line 2: text path …`)."""
    from app.user_jsonpath import parse_jsonpath  # the Stream tab's rules only: not at start-up
    from app.user_regex import PatternError

    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        text_path, *options = (part.strip() for part in stripped.split("|"))
        paths = [("text", text_path)]
        for option in options:
            key, found, value = option.partition("=")
            if not found or key.strip() not in ("reasoning", "event", "mode"):
                problems.append(f"line {number}: {option!r} is not reasoning=…, event=… or mode=…")
            elif key.strip() == "reasoning":
                paths.append(("reasoning", value.strip()))
            elif key.strip() == "mode" and value.strip() not in tuple(RuleMode):
                problems.append(f"line {number}: mode must be delta or snapshot")
        for what, path in paths:
            try:
                parse_jsonpath(path)
            except PatternError as error:
                problems.append(f"line {number}: the {what} JSONPath {path!r} does not parse ({error})")
    return problems


AUTO_PROFILE = "auto"
"""The picker's "detect from the stream" choice (stored as no profile)."""


class StreamTab(EditorTab):
    """Framing and merging: parse mode, merge profile (built-in, custom or auto) and custom rules."""

    DEFAULT_CSS = """
    StreamTab #rule-check { height: 1; color: $success; }
    StreamTab #rule-check.-bad { color: $error; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Parse mode")
            yield Select(enum_choices(ParseMode), value=ParseMode.AUTO, allow_blank=False, id="parse-mode", compact=True)
        with Horizontal(classes="row"):
            yield Label("Merge profile")
            yield Select(self._profile_choices(""), value=AUTO_PROFILE, allow_blank=False, id="merge-profile",
                         compact=True)
        yield Label("Custom rules (profile custom), one per line: $.choices[0].delta.content | reasoning=$.path"
                    " | event=name | mode=snapshot", classes="hint")
        yield TextArea(id="merge-rules", soft_wrap=False)
        yield Checkbox("Reconnect: resume with Last-Event-ID (re-sends the request)",
                       id="reconnect", compact=True)
        yield Label("", id="rule-check")

    @staticmethod
    def _profile_choices(current: str) -> list[tuple[str, str]]:
        # The merge engine (and the plugin scan behind profile_names) loads when the Stream tab is built.
        from app.streams.merge import profile_names

        names = [AUTO_PROFILE, *profile_names()]
        if current and current not in names:
            names.append(current)  # a profile this version does not know: kept, so saving does not drop it
        return [("auto-detect" if name == AUTO_PROFILE else safe_line(name), name) for name in names]

    def show(self, draft: RequestDraft) -> None:
        self.query_one("#parse-mode", Select).value = draft.parse_mode
        profile = self.query_one("#merge-profile", Select)
        profile.set_options(self._profile_choices(draft.merge_profile))
        profile.value = draft.merge_profile or AUTO_PROFILE
        self._set_text("merge-rules", draft.merge_rules)
        self.query_one("#reconnect", Checkbox).value = draft.reconnect
        self._check_rules()

    def collect(self, draft: RequestDraft) -> RequestDraft:
        profile = self._select("merge-profile", AUTO_PROFILE)
        return draft.with_changes(
            parse_mode=self._choice("parse-mode", ParseMode, ParseMode.AUTO),
            merge_profile="" if profile == AUTO_PROFILE else profile,
            merge_rules=self._text("merge-rules"),
            reconnect=self.query_one("#reconnect", Checkbox).value,
        )

    @on(TextArea.Changed, "#merge-rules")
    def _check_rules(self) -> None:
        # Checked as the user types, so a typo is seen before the stream is sent.
        text = self._text("merge-rules")
        problems = rule_problems(text)
        check = self.query_one("#rule-check", Label)
        check.set_class(bool(problems), "-bad")
        if problems:
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            check.update(Text(safe_line(problems[0]) + more))
        else:
            check.update("✓ rules parse" if text.strip() else "")


def build_tab(tab_id: str, draft: RequestDraft, highlighter: VariableHighlighter, keys: EditorKeys) -> EditorTab:
    """The content of the tab `tab_id`, made from `draft`; `keys` are the keys its hints name."""
    if tab_id == "tab-params":
        return ParamsTab(draft, highlighter, f"name=value per line · # disables a line · {keys.reveal_hint}")
    if tab_id == "tab-headers":
        return PairsTab(draft, highlighter, "headers",
                        f"Name: value per line · # disables a line · {keys.reveal_hint}", mask_header_lines)
    if tab_id in ("tab-socket", "tab-messages"):
        # Imported by the first build, with the dialogs they open: an HTTP request and the first screen
        # never need them (with the response pane's other views, about 2% of the instructions to the first frame).
        from app.ui.request.websocket_tabs import MessagesTab, SocketTab

        if tab_id == "tab-socket":
            return SocketTab(draft, highlighter, keys.reveal_hint)
        return MessagesTab(draft, highlighter, keys)
    if tab_id == "tab-extract":
        return PairsTab(draft, highlighter, "extract",
                        "One per line: variable = body $.path | header Name | sse:EVENT $.path | ndjson:TYPE $.path")
    builders: dict[str, type[EditorTab]] = {
        "tab-body": BodyTab, "tab-auth": AuthTab, "tab-stream": StreamTab,
    }
    return builders[tab_id](draft, highlighter)


EDITOR_TABS = (
    TabSpec("tab-params", "Params", "Par"), TabSpec("tab-headers", "Headers", "Hdr"), TabSpec("tab-body", "Body", "Body"),
    TabSpec("tab-auth", "Auth", "Auth"), TabSpec("tab-stream", "Stream", "Strm"), TabSpec("tab-messages", "Messages", "Msg"),
    TabSpec("tab-socket", "Socket", "Sock"), TabSpec("tab-extract", "Extract", "Ext"),
)
"""Every tab of the editor, in order, with the short label used when the full ones do not fit (the tree
shown at 80 columns and less)."""
