"""Before a request is saved: its literal credentials offered to `.env` (the file then keeps `{{name}}`).

A credential typed in the Auth tab or pasted with curl (`-H 'Authorization: Bearer …'`, `-u user:pass`,
`?api_key=…`) is found by `app/model/secrets.py` and moved by `app/model/dotenv.py`: the same rule and
the same `.env` writer the environments screen uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from app.model.request_definition import RequestDefinition
from app.terminal_text import safe_line
from app.ui.environments.secrets_dialog import MoveSecretsDialog, SecretsAnswer

Saver = Callable[[RequestDefinition, bool], None]
"""Saves the definition; the flag says its credentials were moved (the editor shows the new text)."""


def offer_to_move_credentials(screen: Screen[Any], root: Path | None, file_name: str,
                              definition: RequestDefinition, save: Saver, avoid: Iterable[str] = ()) -> None:
    """Call `save` with `definition`, or, if it holds literal credentials, first ask: move them into the
    `.env` at `root` (then `save` gets the definition with `{{variables}}`), keep them, or do not save."""
    from app.model.secrets import find_literal_credentials

    found = find_literal_credentials(definition)
    if not found or root is None:
        save(definition, False)
        return

    def answered(answer: SecretsAnswer | None) -> None:
        if answer is SecretsAnswer.KEEP:
            save(definition, False)
            return
        if answer is not SecretsAnswer.MOVE:
            screen.notify("Not saved.", timeout=3)
            return
        from app.model.credential_moves import move_credentials_to_dotenv
        from app.model.dotenv import DOTENV_FILE
        from app.model.toml_location import FileFormatError

        try:
            result = move_credentials_to_dotenv(definition, root / DOTENV_FILE, set(avoid))
        except (OSError, FileFormatError, ValueError) as error:
            screen.notify(f"Not saved: could not write .env: {error}", severity="error", timeout=10)
            return
        screen.notify(safe_line(f"Kept in .env: {result.summary(' → ')}"), title="Credentials moved", timeout=8)
        save(result.definition, True)

    screen.app.push_screen(MoveSecretsDialog(file_name, [item.where for item in found]), answered)
