"""The resolved preview's data: every variable a request uses, its value and the scope it came from."""

from __future__ import annotations

from app.model.request_definition import Auth, AuthType, Body, BodyType, RequestDefinition
from app.model.scopes import RunScopes
from app.model.variable_report import variable_report
from app.model.variables import Scope


def test_each_variable_names_its_source_and_secrets_are_flagged() -> None:
    scopes = RunScopes(
        run={"job_id": "j-1", "base_url": "http://127.0.0.1:5"},
        run_sources={"job_id": "extracted by POST Start job", "base_url": "demo server"},
        folders=(Scope("folder chat", {"model": "m-1"}),),
        collection={"session": "s-1"},
        environment={"region": "eu", "token": "{{staging_token}}"},
        environment_name="staging",
        dotenv={"staging_token": "sk-1", "api_key": "k-1"},
        os_env={"HOME": "/root"},
        headers=(("X-Session", "{{session}}"),),
    )
    definition = RequestDefinition(
        "r", "{{base_url}}/v1/{{job_id}}?region={{region}}&key={{api_key}}&home={{$env.HOME}}&x={{missing}}",
        variables=(("mine", "r-1"),), headers=(("X-Mine", "{{mine}}"),),
        auth=Auth(AuthType.BEARER, token="{{token}}"),
        body=Body(BodyType.JSON, '{"model": "{{model}}", "id": "{{$uuid}}", "again": "{{region}}"}'),
    )
    uses = {use.name: use for use in variable_report(definition, scopes)}
    origins = {name: use.origin for name, use in uses.items()}
    assert origins == {
        "base_url": "demo server", "job_id": "extracted by POST Start job", "region": "environment staging",
        "api_key": ".env", "$env.HOME": "OS environment", "missing": None, "session": "collection",
        "mine": "request", "token": "environment staging → .env", "model": "folder chat", "$uuid": "dynamic",
    }
    assert uses["region"].where == ("URL", "body") and uses["session"].where == ("header X-Session",)
    assert uses["token"].value == "sk-1" and uses["token"].secret and uses["token"].shown_value() == "****"
    assert uses["token"].shown_value(reveal=True) == "sk-1"
    assert uses["api_key"].secret and uses["$env.HOME"].secret and not uses["region"].secret
    assert not uses["missing"].resolved and uses["missing"].shown_value() == ""


def test_a_reference_nothing_defines_is_a_problem_not_a_crash() -> None:
    scopes = RunScopes(environment={"token": "{{gone}}"}, environment_name="qa")
    (use,) = variable_report(RequestDefinition("r", "http://x/?t={{token}}"), scopes)
    assert not use.resolved and "gone" in use.problem and use.origin == "environment qa"
