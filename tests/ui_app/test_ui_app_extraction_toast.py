"""The toast after an extraction names each variable; a credential's value is masked there."""

from __future__ import annotations

from app.ui.screens.send import extracted_summary


def test_a_plain_value_is_shown_and_a_credential_is_masked() -> None:
    summary = extracted_summary({"job_id": "job_123", "access_token": "eyJhbGciOi.secret.value"})
    assert summary == "Extracted job_id = job_123, access_token = ****"


def test_a_secret_shaped_value_is_masked_whatever_its_name() -> None:
    assert extracted_summary({"next": "sk-proj-abcdefghijklmnopqrstuvwxyz0123"}) == "Extracted next = ****"


def test_a_long_value_is_cut_to_its_start() -> None:
    assert extracted_summary({"cursor": "c" * 100}) == f"Extracted cursor = {'c' * 40}"
