"""A request body's credentials are masked in HAR files and curl exports unless revealed.

Headers, URLs and query strings were masked, bodies never: an OAuth token request
(`grant_type=password&username=u&password=…&client_secret=…`) or a JSON login body went into
`--har` and into "Copy as curl (secrets masked)" as it was sent, `.env` secrets resolved into it. The
body's credential-like fields are masked with the same names as query parameters (`is_secret_param`),
a form's fields and a JSON body's string members alike, the rest of the body as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

from raw_loopback_server import http_response

from app.interop.curl_export import export_curl
from app.model.http_request import HttpRequest
from app.model.secrets import mask_body

FORM = "grant_type=password&username=ann&password=hunter2&client_secret=s3cret-form&scope=read"
JSON_BODY = '{"user": "ann", "password": "hunter2", "nested": {"api_key": "k3y-json", "n": 1}, "max_tokens": 5}'


def test_form_and_json_bodies_are_masked_and_the_rest_kept() -> None:
    masked_form = mask_body(FORM.encode(), "application/x-www-form-urlencoded").decode()
    assert masked_form == "grant_type=password&username=ann&password=****&client_secret=****&scope=read"
    masked_json = json.loads(mask_body(JSON_BODY.encode(), "application/json; charset=utf-8"))
    assert masked_json == {"user": "ann", "password": "****", "nested": {"api_key": "****", "n": 1}, "max_tokens": 5}
    other = b"password=hunter2"
    assert mask_body(other, "text/plain") is other


def test_curl_export_masks_the_body_unless_revealed() -> None:
    request = HttpRequest(url="http://h/token", method="POST", body=FORM.encode(),
                          headers=(("Content-Type", "application/x-www-form-urlencoded"),))
    assert "hunter2" not in export_curl(request) and "s3cret-form" not in export_curl(request)
    assert "client_secret=****" in export_curl(request)
    assert "hunter2" in export_curl(request, reveal=True)


def test_har_masks_the_request_body_unless_revealed(raw_server, sluice, tmp_path: Path) -> None:
    raw_server.routes["/token"] = http_response("200 OK", [("Content-Type", "application/json")], b'{"ok": true}')
    url = f"{raw_server.base_url}/token"
    masked, revealed = tmp_path / "masked.har", tmp_path / "revealed.har"
    assert sluice("run", url, "--json", JSON_BODY, "--har", str(masked)).code == 0
    assert sluice("run", url, "-d", FORM, "--har", str(revealed), "--reveal").code == 0
    posted = json.loads(masked.read_text("utf-8"))["log"]["entries"][0]["request"]["postData"]["text"]
    assert json.loads(posted)["password"] == "****" and "k3y-json" not in posted
    assert "hunter2" in revealed.read_text("utf-8")
    form = tmp_path / "form.har"
    assert sluice("run", url, "-d", FORM, "--har", str(form)).code == 0
    assert "hunter2" not in form.read_text("utf-8") and "s3cret-form" not in form.read_text("utf-8")
