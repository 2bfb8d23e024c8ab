"""The questions about credentials and `.env`: the one offer to move credentials written out in a TOML
file into it, and the offer to take an environment's secrets out of it when the environment is deleted.

The first is asked when an environment is saved with values that look like secrets and when a request is
saved with a literal credential (typed in the Auth tab, or pasted with curl's `-H 'Authorization: Bearer …'`
/ `-u`): the values go to `.env` and the file keeps `{{name}}` (`app/model/dotenv.py`). What counts as a
secret is `app/model/secrets.py`'s one definition.
"""

from __future__ import annotations

from enum import StrEnum

from app.terminal_text import safe_line
from app.ui.choice_dialog import Choice, ChoiceDialog


class SecretsAnswer(StrEnum):
    """What to do with the credentials found in a file about to be saved."""

    MOVE = "move"
    """Into `.env`; the file keeps `{{name}}` references."""
    KEEP = "keep"
    """Save the file with the values written out."""
    CANCEL = "cancel"
    """Do not save."""


class MoveSecretsDialog(ChoiceDialog[SecretsAnswer]):
    """Move to .env (`m`, or Enter: the first button) / Keep in the file (`k`) / Cancel (Esc)."""

    CHOICES = (
        Choice(SecretsAnswer.MOVE, "m", "Move to .env", "primary", "secrets.move",
               "Move the credentials into .env; the file keeps {{name}} references"),
        Choice(SecretsAnswer.KEEP, "k", "Keep in file", "warning", "secrets.keep",
               "Save the file with the credentials written out"),
        Choice(SecretsAnswer.CANCEL, "escape", "Cancel", "default", "secrets.cancel", "Do not save"),
    )
    FOCUSED = SecretsAnswer.MOVE

    def __init__(self, file_name: str, found: list[str]) -> None:
        listed = ", ".join(found)
        super().__init__(
            f"{safe_line(file_name)} would hold credentials written out ({safe_line(listed)}). "
            "Move them into .env, beside collection.toml, so the file keeps {{variables}} instead "
            "(and the secrets stay out of git: keep .env out of it too)?"
        )


class DeleteAnswer(StrEnum):
    """What to do on deleting an environment that is the only user of some secrets in `.env`."""

    WITH_SECRETS = "with-secrets"
    """Delete the environment's file and take those secrets out of `.env`."""
    KEEP_SECRETS = "keep-secrets"
    """Delete the environment's file; `.env` stays as it is."""
    CANCEL = "cancel"
    """Delete nothing."""


class DeleteEnvironmentDialog(ChoiceDialog[DeleteAnswer]):
    """Delete with its secrets (`y`) / Delete, keep .env (`k`) / Cancel (`n`, Esc; focused first, as the
    plain delete question's No is)."""

    CHOICES = (
        Choice(DeleteAnswer.WITH_SECRETS, "y", "Delete, and its secrets", "error", "env_delete.secrets",
               "Delete the environment's file and remove the secrets only it used from .env"),
        Choice(DeleteAnswer.KEEP_SECRETS, "k", "Delete, keep .env", "warning", "env_delete.keep",
               "Delete the environment's file; .env stays as it is"),
        Choice(DeleteAnswer.CANCEL, "n,escape", "Cancel", "default", "env_delete.cancel", "Delete nothing"),
    )
    FOCUSED = DeleteAnswer.CANCEL

    def __init__(self, name: str, notes: list[str], secrets: list[str]) -> None:
        count = len(secrets)
        listed = ", ".join(secrets)  # names only: the values are never shown
        super().__init__(
            f"Delete environment {safe_line(name)}?\n" + "\n".join(notes)
            + f"\nIt is the only file that uses {count} secret{'s' if count != 1 else ''} in .env "
            f"({safe_line(listed)}). Remove {'them' if count != 1 else 'it'} from .env too?"
        )
