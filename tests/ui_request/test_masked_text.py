"""Masked editor text: an edit maps back to the real value, and `****` never replaces a value it hides."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.model.secrets import MASK, mask_url
from app.ui.request.masked_text import MaskedText, mask_header_lines, mask_param_lines

SECRET = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="-_."), min_size=1,
                 max_size=20)
PLAIN = st.text(st.characters(whitelist_categories=("Ll", "Nd"), whitelist_characters="/-"), max_size=15)


def url_with(secret: str, password: str, path: str) -> str:
    return f"https://me:{password}@api.example/{path}?api_key={secret}&page=2"


@given(SECRET, SECRET, PLAIN, st.data())
def test_typing_outside_the_mask_keeps_the_secret(secret: str, password: str, path: str, data: st.DataObject) -> None:
    real = url_with(secret, password, path)
    text = MaskedText.masked(real, mask_url)
    assert text.shown == mask_url(real) and text.real == real
    shown = text.shown
    # Anywhere that is not inside a `****`: the edit lands in the real text at the same place.
    cuts = [index for index in range(len(shown) + 1) if not _inside_mask(shown, index)]
    where = data.draw(st.sampled_from(cuts))
    typed = data.draw(PLAIN)
    edited = text.edit(shown[:where] + typed + shown[where:])
    assert edited.shown == shown[:where] + typed + shown[where:]
    at = _real_index(text, where)
    assert edited.real == real[:at] + typed + real[at:]


def _real_index(text: MaskedText, shown_index: int) -> int:
    """Where a place in the shown text (not inside a secret) is in the real text."""
    shown_at = real_at = 0
    for shown, real in text.segments:
        if shown_index <= shown_at + len(shown) and shown == real:
            return real_at + shown_index - shown_at
        if shown_index == shown_at:
            return real_at
        shown_at += len(shown)
        real_at += len(real)
    return real_at


@given(SECRET, PLAIN, st.text(max_size=30), st.data())
def test_any_edit_shows_what_was_typed_and_never_saves_the_mask_for_a_kept_secret(
    secret: str, path: str, replacement: str, data: st.DataObject
) -> None:
    text = MaskedText.masked(url_with(secret, "pw", path), mask_url)
    shown = text.shown
    start = data.draw(st.integers(0, len(shown)))
    end = data.draw(st.integers(start, len(shown)))
    new = shown[:start] + replacement + shown[end:]
    edited = text.edit(new)
    assert edited.shown == new
    # A hidden value is always one the text had: masking never invents or moves a value into `****`.
    hidden = [segment for segment in edited.segments if segment[0] != segment[1]]
    assert all(segment in text.segments for segment in hidden)
    assert len(hidden) <= 2 and edited.real.count(MASK) == new.count(MASK) - len(hidden)


def _inside_mask(shown: str, index: int) -> bool:
    position = shown.find(MASK)
    while position != -1:
        if position < index < position + len(MASK):
            return True
        position = shown.find(MASK, position + 1)
    return False


def test_editing_the_mask_itself_replaces_the_value_with_what_was_typed() -> None:
    text = MaskedText.masked("https://x/?token=abc123&q=1", mask_url)
    assert text.shown == "https://x/?token=****&q=1"
    assert text.edit("https://x/?token=new&q=1").real == "https://x/?token=new&q=1"
    assert text.edit("https://x/?token=***&q=1").real == "https://x/?token=***&q=1"
    # Cut and paste the whole field: what was typed, nothing hidden.
    assert text.edit("https://other/").real == "https://other/"


def test_variables_stay_readable_and_header_and_param_lines_are_masked() -> None:
    assert MaskedText.masked("https://x/?api_key={{KEY}}", mask_url).shown == "https://x/?api_key={{KEY}}"
    headers = MaskedText.masked("Authorization: Bearer sk-1\n# X-Api-Key:  k2 \nAccept: */*", mask_header_lines)
    assert headers.shown == "Authorization: Bearer ****\n# X-Api-Key:  **** \nAccept: */*"
    params = MaskedText.masked("api_key=sk-1\npage=2\ntoken={{t}}", mask_param_lines)
    assert params.shown == "api_key=****\npage=2\ntoken={{t}}"
    # Two edits reported at once (a TextArea reports its text, not each change) keep the secret between.
    edited = headers.edit("Authorization: Bearer ****\n# X-Api-Key:  **** \nAccept: */*\nX-New: 1")
    edited = edited.edit("authorization: Bearer ****\n# X-Api-Key:  **** \nAccept: */*\nX-New: 12")
    assert edited.real == "authorization: Bearer sk-1\n# X-Api-Key:  k2 \nAccept: */*\nX-New: 12"


def test_environment_lines_mask_what_looks_like_a_credential_only() -> None:
    from app.ui.request.masked_text import mask_environment_lines

    text = ('base_url = "http://127.0.0.1:9"\ntoken = "sk-live-abc"  # prod\n"api_key" = \'k-1\'\n'
            'model = "sk-ant-xyz"\nref = "{{staging_token}}"\nport = 8765\npassword = ""\n')
    assert mask_environment_lines(text) == (
        'base_url = "http://127.0.0.1:9"\ntoken = "****"  # prod\n"api_key" = \'****\'\n'
        'model = "****"\nref = "{{staging_token}}"\nport = 8765\npassword = ""\n')


@given(st.lists(st.tuples(st.sampled_from(["token", "api_key", "name", "url", "secret"]), SECRET), max_size=5))
def test_an_environment_file_masked_keeps_its_real_text(pairs: list[tuple[str, str]]) -> None:
    from app.ui.request.masked_text import mask_environment_lines

    real = "".join(f'{name} = "{value}"\n' for name, value in pairs)
    text = MaskedText.masked(real, mask_environment_lines)
    assert text.real == real and text.shown == mask_environment_lines(real)
    from app.model.secrets import looks_like_secret

    shown_lines = text.shown.split("\n")
    for (name, value), shown in zip(pairs, shown_lines):  # what counts as a credential: the one definition
        assert shown == (f'{name} = "{MASK}"' if looks_like_secret(name, value) else f'{name} = "{value}"')
