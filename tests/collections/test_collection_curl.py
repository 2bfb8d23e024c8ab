"""curl import/export on real-world commands: checked against expectations and against curl itself."""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from raw_loopback_server import read_request_head

from app.interop.curl_export import export_curl
from app.interop.curl_import import CurlImportError, import_curl
from app.model.http_request import HttpRequest
from app.model.resolve import resolve_http
from app.model.scopes import RunScopes
from app.model.toml_format import dumps_request, loads_request

ENV = {"OPENAI_API_KEY": "sk-test-openai", "ANTHROPIC_API_KEY": "sk-ant-test", "GEMINI_API_KEY": "g-key",
       "MISTRAL_API_KEY": "m-key", "CO_API_KEY": "co-key"}
FORM = ("Content-Type", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class Case:
    name: str
    command: str
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None = None
    shell: bool = True
    """False for commands bash cannot run (Windows cmd syntax)."""


CASES = [
    Case("seed-003-async", """curl -X POST https://api.superdocs.app/v1/chat/async \\
  -H "Authorization: Bearer sk_YOUR_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{
    "message": "Rewrite all sections to be more concise",
    "session_id": "my-session",
    "document_html": "..."
  }'""", "POST", "https://api.superdocs.app/v1/chat/async",
         (("Authorization", "Bearer sk_YOUR_API_KEY"), ("Content-Type", "application/json")),
         b'{\n    "message": "Rewrite all sections to be more concise",\n    "session_id": "my-session",\n'
         b'    "document_html": "..."\n  }'),
    Case("seed-003-stream", 'curl -N "https://api.superdocs.app/v1/chat/my-session/stream?job_id=job_abc123&api_key=sk_YOUR_API_KEY"',
         "GET", "https://api.superdocs.app/v1/chat/my-session/stream?job_id=job_abc123&api_key=sk_YOUR_API_KEY", ()),
    Case("seed-004-request", """curl --request POST \\
--url https://api.example.com/v1/chat/stream \\
--header 'Content-Type: application/json' \\
--data '
{
"sessionId": "<string>",
"message": "<string>"
}
'""", "POST", "https://api.example.com/v1/chat/stream", (("Content-Type", "application/json"),),
         b'\n{\n"sessionId": "<string>",\n"message": "<string>"\n}\n'),
    Case("seed-004-api-key", """curl -X POST https://your-api-domain.com/v1/chat/stream \\
-H "Content-Type: application/json" \\
-H "x-api-key: your-api-key-here" \\
-d '{
"sessionId": "user-123",
"message": "Tell me about your services"
}'""", "POST", "https://your-api-domain.com/v1/chat/stream",
         (("Content-Type", "application/json"), ("x-api-key", "your-api-key-here")),
         b'{\n"sessionId": "user-123",\n"message": "Tell me about your services"\n}'),
    Case("openai-chat", """curl https://api.openai.com/v1/chat/completions \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer $OPENAI_API_KEY" \\
  -d '{
    "model": "gpt-4o",
    "messages": [{"role": "user", "content": "Hello!"}],
    "stream": true
  }'""", "POST", "https://api.openai.com/v1/chat/completions",
         (("Content-Type", "application/json"), ("Authorization", "Bearer sk-test-openai")),
         b'{\n    "model": "gpt-4o",\n    "messages": [{"role": "user", "content": "Hello!"}],\n    "stream": true\n  }'),
    Case("openai-responses", """curl https://api.openai.com/v1/responses -H "Content-Type: application/json" \\
  -H "Authorization: Bearer ${OPENAI_API_KEY}" -d '{"model": "gpt-4.1", "input": "Say hi", "stream": true}'""",
         "POST", "https://api.openai.com/v1/responses",
         (("Content-Type", "application/json"), ("Authorization", "Bearer sk-test-openai")),
         b'{"model": "gpt-4.1", "input": "Say hi", "stream": true}'),
    Case("anthropic-messages", """curl https://api.anthropic.com/v1/messages \\
     --header "anthropic-version: 2023-06-01" \\
     --header "content-type: application/json" \\
     --header "x-api-key: $ANTHROPIC_API_KEY" \\
     --data \\
'{
  "model": "claude-opus-4-1-20250805",
  "messages": [{"role": "user", "content": "Hello"}],
  "max_tokens": 256,
  "stream": true
}'""", "POST", "https://api.anthropic.com/v1/messages",
         (("anthropic-version", "2023-06-01"), ("content-type", "application/json"), ("x-api-key", "sk-ant-test")),
         b'{\n  "model": "claude-opus-4-1-20250805",\n  "messages": [{"role": "user", "content": "Hello"}],\n'
         b'  "max_tokens": 256,\n  "stream": true\n}'),
    Case("ollama-chat", """curl http://localhost:11434/api/chat -d '{
  "model": "llama3.2",
  "messages": [{"role": "user", "content": "why is the sky blue?"}]
}'""", "POST", "http://localhost:11434/api/chat", (FORM,),
         b'{\n  "model": "llama3.2",\n  "messages": [{"role": "user", "content": "why is the sky blue?"}]\n}'),
    Case("ollama-generate", """curl http://localhost:11434/api/generate -d '{"model": "llama3.2", "prompt": "Why is the sky blue?"}'""",
         "POST", "http://localhost:11434/api/generate", (FORM,), b'{"model": "llama3.2", "prompt": "Why is the sky blue?"}'),
    Case("gemini-sse", """curl "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse&key=${GEMINI_API_KEY}" \\
        -H 'Content-Type: application/json' \\
        --no-buffer \\
        -d '{ "contents":[{"parts":[{"text": "Write a story about a magic backpack."}]}]}'""",
         "POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse&key=g-key",
         (("Content-Type", "application/json"),),
         b'{ "contents":[{"parts":[{"text": "Write a story about a magic backpack."}]}]}'),
    Case("mistral", """curl --location "https://api.mistral.ai/v1/chat/completions" \\
     --header 'Content-Type: application/json' \\
     --header 'Accept: application/json' \\
     --header "Authorization: Bearer $MISTRAL_API_KEY" \\
     --data '{"model": "mistral-large-latest", "stream": true, "messages": [{"role": "user", "content": "Who is the most renowned French painter?"}]}'""",
         "POST", "https://api.mistral.ai/v1/chat/completions",
         (("Content-Type", "application/json"), ("Accept", "application/json"), ("Authorization", "Bearer m-key")),
         b'{"model": "mistral-large-latest", "stream": true, "messages": [{"role": "user", "content": "Who is the most renowned French painter?"}]}'),
    Case("cohere-v2", """curl --request POST \\
  --url https://api.cohere.com/v2/chat \\
  --header 'accept: application/json' \\
  --header 'content-type: application/json' \\
  --header "Authorization: bearer $CO_API_KEY" \\
  --data '{"stream": true, "model": "command-a-03-2025", "messages": [{"role": "user", "content": "Hello world!"}]}'""",
         "POST", "https://api.cohere.com/v2/chat",
         (("accept", "application/json"), ("content-type", "application/json"), ("Authorization", "bearer co-key")),
         b'{"stream": true, "model": "command-a-03-2025", "messages": [{"role": "user", "content": "Hello world!"}]}'),
    Case("llamacpp", """curl --request POST --url http://localhost:8080/completion --header "Content-Type: application/json" \\
    --data '{"prompt": "Building a website can be done in 10 simple steps:","n_predict": 128, "stream": true}'""",
         "POST", "http://localhost:8080/completion", (("Content-Type", "application/json"),),
         b'{"prompt": "Building a website can be done in 10 simple steps:","n_predict": 128, "stream": true}'),
    Case("chrome-bash", """curl 'https://example.com/api/graphql' \\
  -H 'accept: */*' \\
  -H 'accept-language: en-US,en;q=0.9' \\
  -H 'content-type: application/json' \\
  -b 'session=abc123; theme=dark' \\
  -H 'origin: https://example.com' \\
  -H 'referer: https://example.com/app' \\
  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36' \\
  --data-raw $'{"query":"{ me { name } }","variables":{"note":"it\\'s \\u00e9\\\\n"}}' \\
  --compressed""", "POST", "https://example.com/api/graphql",
         (("accept", "*/*"), ("accept-language", "en-US,en;q=0.9"), ("content-type", "application/json"),
          ("origin", "https://example.com"), ("referer", "https://example.com/app"),
          ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"),
          ("Accept-Encoding", "deflate, gzip"), ("Cookie", "session=abc123; theme=dark")),
         '{"query":"{ me { name } }","variables":{"note":"it\'s \u00e9\\n"}}'.encode()),
    Case("firefox", """curl 'https://example.com/search?q=streams' --compressed -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' -H 'Accept: text/event-stream' -H 'Accept-Encoding: gzip, deflate, br, zstd' -H 'Cookie: sid=xyz' -H 'Pragma: no-cache'""",
         "GET", "https://example.com/search?q=streams",
         (("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
          ("Accept", "text/event-stream"), ("Accept-Encoding", "gzip, deflate, br, zstd"), ("Cookie", "sid=xyz"),
          ("Pragma", "no-cache"))),
    Case("chrome-cmd", """curl ^"https://example.com/api/items?page=2^" ^
  -H ^"accept: application/json^" ^
  -H ^"content-type: application/json^" ^
  --data-raw ^"^{^\\^"name^\\^":^\\^"widget^\\^"^}^\"""", "POST", "https://example.com/api/items?page=2",
         (("accept", "application/json"), ("content-type", "application/json")), b'{"name":"widget"}', shell=False),
    Case("github", """curl -L \\
  -H "Accept: application/vnd.github+json" \\
  -H "Authorization: Bearer <YOUR-TOKEN>" \\
  -H "X-GitHub-Api-Version: 2022-11-28" \\
  https://api.github.com/repos/OWNER/REPO/issues""", "GET", "https://api.github.com/repos/OWNER/REPO/issues",
         (("Accept", "application/vnd.github+json"), ("Authorization", "Bearer <YOUR-TOKEN>"),
          ("X-GitHub-Api-Version", "2022-11-28"))),
    Case("form-several-d", 'curl -d "name=John&age=30" -d "city=NYC" https://httpbin.org/post', "POST",
         "https://httpbin.org/post", (FORM,), b"name=John&age=30&city=NYC"),
    Case("get-urlencode", 'curl -G https://api.example.com/search --data-urlencode "q=hello world" --data-urlencode "lang=en&fr" -d limit=10',
         "GET", "https://api.example.com/search?q=hello+world&lang=en%26fr&limit=10", ()),
    Case("json-put-basic", """curl -u admin:s3cret -X PUT --json '{"enabled": true}' https://api.example.com/v1/settings""",
         "PUT", "https://api.example.com/v1/settings",
         (("Content-Type", "application/json"), ("Accept", "application/json"),
          ("Authorization", "Basic " + base64.b64encode(b"admin:s3cret").decode())), b'{"enabled": true}'),
    Case("json-twice", """curl --json '{"a":' --json ' 1}' http://json.example/j""", "POST", "http://json.example/j",
         (("Content-Type", "application/json"), ("Accept", "application/json")), b'{"a": 1}'),
    Case("head", "curl -I https://example.com/", "HEAD", "https://example.com/", ()),
    Case("flags", 'curl -k --http2 -m 30 --connect-timeout 5 -A "sluice-test/1.0" -e https://ref.example/ https://self-signed.example/health',
         "GET", "https://self-signed.example/health", (("User-Agent", "sluice-test/1.0"), ("Referer", "https://ref.example/"))),
    Case("header-removal", "curl -H 'Accept:' -H 'X-Empty;' -H 'Content-Type:' -d 'raw body' http://localhost:9000/upload",
         "POST", "http://localhost:9000/upload", (("X-Empty", ""),), b"raw body"),
    Case("data-files", "curl -d @body.txt --data-binary @body.txt http://files.example/x", "POST", "http://files.example/x",
         (FORM,), b"line oneline two&line one\r\nline two\n"),
    Case("stripe", """curl https://api.stripe.com/v1/charges \\
  -u sk_test_4eC39HqLyjWDarjtT1zdp7dc: \\
  -d amount=2000 \\
  -d currency=usd \\
  -d description="My First Test Charge (created for API docs)\"""", "POST", "https://api.stripe.com/v1/charges",
         (FORM, ("Authorization", "Basic " + base64.b64encode(b"sk_test_4eC39HqLyjWDarjtT1zdp7dc:").decode())),
         b"amount=2000&currency=usd&description=My First Test Charge (created for API docs)"),
    Case("short-options", """curl -sSfL -XPOST 'localhost:8765/v1/chats?fail=1' -H'Authorization: Bearer demo-token' -d'{"input":"hi"}' | jq .""",
         "POST", "http://localhost:8765/v1/chats?fail=1", (("Authorization", "Bearer demo-token"), FORM), b'{"input":"hi"}'),
    # -T is a PUT of the file's exact bytes, to URL/name when the URL ends in `/` (`Expect:` skips curl's 1 s wait).
    Case("upload-file", "curl -T body.txt -H 'Expect:' http://files.example/dir/", "PUT", "http://files.example/dir/body.txt",
         (), b"line one\r\nline two\n"),
    Case("upload-file-post", "curl -T body.txt -H 'Expect:' -X POST 'http://files.example/u?x=1'", "POST",
         "http://files.example/u?x=1", (), b"line one\r\nline two\n"),
    Case("binary-ansi-c", """curl --data-binary $'\\x00\\xff\\x01' -H 'Content-Type: application/octet-stream' http://bin.example/b""",
         "POST", "http://bin.example/b", (("Content-Type", "application/octet-stream"),), b"\x00\xff\x01", shell=False),
    # curl's single-valued options given twice: the last wins, one header each; a header given twice is sent twice.
    Case("repeated-options", "curl http://dup.example/ -A first -A second -e one -e two --compressed --compressed "
         "-H 'X-Tag: 1' -H 'Y: 2' -H 'X-Tag: 3'", "GET", "http://dup.example/",
         (("User-Agent", "second"), ("Referer", "two"), ("Accept-Encoding", "deflate, gzip"), ("X-Tag", "1"),
          ("Y", "2"), ("X-Tag", "3"))),
]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "body.txt").write_bytes(b"line one\r\nline two\n")
    return tmp_path


def _resolved(case: Case, workdir: Path) -> HttpRequest:
    result = import_curl(case.command, base_dir=workdir, read_files=True)
    return resolve_http(result.definition, RunScopes(os_env=ENV))


def _lower(headers: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return sorted((name.lower(), value) for name, value in headers)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_import_gives_method_url_headers_and_body(case: Case, workdir: Path) -> None:
    request = _resolved(case, workdir)
    assert request.method == case.method
    assert request.url == case.url
    assert _lower(request.headers) == _lower(case.headers)
    assert request.body == case.body


def test_a_header_given_twice_keeps_its_values_in_order_through_a_request_file() -> None:
    definition = import_curl("curl http://dup.example/ -H 'X-Tag: 1' -A ua -H 'Y: 2' -H 'X-Tag: 3' -A ua").definition
    assert definition.headers == (("User-Agent", "ua"), ("X-Tag", "1"), ("X-Tag", "3"), ("Y", "2"))
    assert loads_request(dumps_request(definition)) == definition


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_export_then_import_sends_the_same_request(case: Case, workdir: Path) -> None:
    request = _resolved(case, workdir)
    again = resolve_http(import_curl(export_curl(request, reveal=True)).definition)
    assert (again.method, again.url, again.body) == (request.method, request.url, request.body)
    assert _lower(again.headers) == _lower(request.headers)
    assert (again.verify_tls, again.http2, again.follow_redirects) == (request.verify_tls, request.http2, request.follow_redirects)
    assert (again.connect_timeout, again.read_timeout) == (request.connect_timeout, request.read_timeout)


def test_export_masks_secrets_unless_revealed(workdir: Path) -> None:
    request = HttpRequest(
        url="https://api.example.com/x?api_key=sk-1&page=2",
        headers=(("Authorization", "Bearer sk-2"), ("x-api-key", "sk-3"), ("X-Auth-Token", "sk-4"), ("Accept", "text/plain")),
    )
    masked = export_curl(request)
    assert not any(secret in masked for secret in ("sk-1", "sk-2", "sk-3", "sk-4"))
    assert "api_key=****&page=2" in masked and "Bearer ****" in masked and "Accept: text/plain" in masked
    revealed = export_curl(request, reveal=True)
    assert all(secret in revealed for secret in ("sk-1", "sk-2", "sk-3", "sk-4"))


def test_unknown_options_warn_and_bad_input_is_a_clear_error() -> None:
    result = import_curl("curl --frobnicate --cert c.pem https://x.example/")
    assert result.definition.url == "https://x.example/"
    assert result.warnings == ("--frobnicate ignored", "--cert c.pem ignored")
    for text, words in [("wget https://x", "start with 'curl'"), ("curl -H 'A: b'", "no URL"), ("curl 'https://x", "unterminated")]:
        with pytest.raises(CurlImportError, match=words):
            import_curl(text)


# --- the same commands run by curl itself, against a loopback capture server -------------------------

_CURL = shutil.which("curl")
_IGNORED_FROM_CURL = {"host", "content-length", "proxy-connection", "connection", "upgrade", "http2-settings"}


class _CaptureServer:
    """Answers every request with an empty 200 and records what arrived (request line, headers, body)."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.captured: list[tuple[str, str, list[tuple[str, str]], bytes]] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                head, _, body = read_request_head(connection).partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = [(line.split(":", 1)[0], line.split(":", 1)[1].strip()) for line in lines[1:]]
                length = int(next((value for name, value in headers if name.lower() == "content-length"), "0"))
                while len(body) < length:
                    body += connection.recv(65536)
                method, target, _ = lines[0].split(" ")
                self.captured.append((method, target, headers, body))
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self) -> None:
        self.listener.close()


@pytest.fixture(scope="module")
def capture_server():
    server = _CaptureServer()
    yield server
    server.close()


@pytest.mark.skipif(_CURL is None, reason="curl is not installed")
@pytest.mark.parametrize("case", [case for case in CASES if case.shell], ids=[case.name for case in CASES if case.shell])
def test_import_matches_what_curl_itself_sends(case: Case, workdir: Path, capture_server: _CaptureServer) -> None:
    command = case.command.replace("https://", "http://").replace(" | jq .", "")
    # Every request goes through the capture server as an HTTP proxy, so curl sends the absolute URL.
    script = f"curl() {{ command curl -s -o /dev/null --max-time 10 --proxy http://127.0.0.1:{capture_server.port} --noproxy '' \"$@\"; }}\n{command}"
    before = len(capture_server.captured)
    subprocess.run(["bash", "-c", script], cwd=workdir, env={**os.environ, **ENV}, check=False, timeout=30)
    assert len(capture_server.captured) == before + 1
    method, target, headers, body = capture_server.captured[-1]
    ours = _resolved(case, workdir)
    assert method == ours.method
    assert target == ours.url.replace("https://", "http://")
    assert body == (ours.body or b"")
    expected = [(name, value.replace("https://", "http://")) for name, value in _lower(ours.headers)]
    theirs = [(name.lower(), value) for name, value in headers if name.lower() not in _IGNORED_FROM_CURL]
    # Headers curl always adds, unless the command set its own.
    for name, default in (("accept", "*/*"), ("user-agent", None)):
        if not any(pair[0] == name for pair in expected):
            theirs = [pair for pair in theirs if pair[0] != name or (default is not None and pair[1] != default)]
    if "--compressed" in case.command and not any(name.lower() == "accept-encoding" for name, _ in case.headers if name != "Accept-Encoding"):
        # curl asks for every encoding it was built with; Sluice asks only for what httpx decodes.
        theirs = [pair for pair in theirs if pair[0] != "accept-encoding"]
        expected = [pair for pair in expected if pair[0] != "accept-encoding"]
    assert sorted(theirs) == sorted(expected)


# Options that choose the method, with and without a file left out: curl reads body.txt; Sluice imports
# without reading it and must still use curl's method (or refuse what curl refuses, exit 2).
METHOD_COMMANDS = [
    "-d @q.txt", "--data-binary @q.txt", "--json @q.txt", "-F f=@q.txt", "-F a=b", "-T q.txt",
    "-G -d @q.txt", "-G -d x", "-I -G -d x", "-X PATCH -d @q.txt", "-X GET -d @q.txt", "-G -T q.txt",
    "-G -F a=b", "-I", "-I -d x", "-F a=b -d x", "-T q.txt -d x", "-G -d x -T q.txt", "-I -T q.txt",
]


@pytest.mark.skipif(_CURL is None, reason="curl is not installed")
@pytest.mark.parametrize("options", METHOD_COMMANDS)
def test_method_matches_curl_with_files_left_out(options: str, workdir: Path, capture_server: _CaptureServer) -> None:
    (workdir / "q.txt").write_text("a=1\n", encoding="utf-8")
    command = f"curl -H 'Expect:' {options} http://m.example/p"
    before = len(capture_server.captured)
    script = f"command curl -s -o /dev/null --max-time 10 --proxy http://127.0.0.1:{capture_server.port} {command[5:]}"
    ran = subprocess.run(["bash", "-c", script], cwd=workdir, check=False, timeout=30)
    if ran.returncode == 2:  # "You can only select one HTTP request method!"
        assert len(capture_server.captured) == before
        with pytest.raises(CurlImportError, match="only one request method"):
            import_curl(command, base_dir=workdir)
        return
    assert len(capture_server.captured) == before + 1
    method = capture_server.captured[-1][0]
    assert import_curl(command, base_dir=workdir).definition.method == method


def test_export_shows_the_params_after_the_urls_own_query_as_the_worker_sends_them() -> None:
    request = HttpRequest("http://h/x?k=1&k=2&q=a%20b", params=(("k", "3"),))
    assert "'http://h/x?k=1&k=2&q=a%20b&k=3'" in export_curl(request)


def test_a_caret_quote_inside_single_quotes_is_posix_not_cmd() -> None:
    request = HttpRequest("http://a/x", method="POST", headers=(("X-Value", '"'),), body=b'^"')
    again = import_curl(export_curl(request)).definition
    assert dict(again.headers)["X-Value"] == '"' and again.body.content == '^"'


def test_a_word_ending_in_a_line_break_is_quoted() -> None:
    # A regex `$` also matches before a final newline: a body of "0\n" was written bare, so the shell
    # ran the command at the line break and the rest of its options never reached curl.
    request = HttpRequest("http://a/x", method="POST", body=b"0\n")
    command = export_curl(request)
    assert "--data-raw '0\n'" in command
    assert import_curl(command).definition.body.content == "0\n"


def test_an_upload_name_with_a_raw_byte_is_quoted_as_that_byte() -> None:
    assert import_curl("curl http://h/ -T $'\\xff'").definition.url == "http://h/%FF"  # was a UnicodeEncodeError
