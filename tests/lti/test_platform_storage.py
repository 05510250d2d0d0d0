"""LTI Platform Storage (lti_storage_target): the state travels through the platform's frame, not a cookie."""

from __future__ import annotations

import re

from lti_tool.lti.adapter import state_cookie_name
from tests.lti.conftest import TOOL_BASE_URL, error_code


def storage_login(client, platform):
    response = client.post(
        "/lti/login",
        data={
            "iss": platform.issuer,
            "login_hint": "h",
            "target_link_uri": TOOL_BASE_URL + "/lti/launch",
            "client_id": platform.client_id,
            "lti_storage_target": "_parent",
        },
    )
    page = response.get_data(as_text=True)
    state = re.search(r'var state = "([^"]+)"', page).group(1)
    nonce = re.search(r"nonce=([A-Za-z0-9_-]+)", page).group(1)
    return response, page, state, nonce


def test_login_with_storage_target_puts_the_state_into_platform_storage(app, platform):
    response, page, _state, _nonce = storage_login(app.test_client(), platform)
    assert response.status_code == 200
    assert (
        "lti.put_data" in page and f'"{platform.issuer}"' in page
    )  # addressed to the platform's origin only


def test_launch_without_cookie_asks_platform_storage_then_completes(app, platform):
    client = app.test_client()
    _, _, state, nonce = storage_login(client, platform)
    client.delete_cookie(state_cookie_name(state))
    id_token = platform.id_token(nonce)
    first = client.post("/lti/launch", data={"id_token": id_token, "state": state})
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and "lti.get_data" in page and 'name="platform_storage_state"' in page
    assert id_token in page  # carried into the second post
    # The page's script posts again with the value the platform stored.
    final = client.post(
        "/lti/launch", data={"id_token": id_token, "state": state, "platform_storage_state": state}
    )
    assert final.status_code == 200 and "data-launch-token" in final.get_data(as_text=True)


def test_wrong_platform_storage_value_is_refused(app, platform):
    client = app.test_client()
    _, _, state, nonce = storage_login(client, platform)
    client.delete_cookie(state_cookie_name(state))
    data = {"id_token": platform.id_token(nonce), "state": state, "platform_storage_state": "forged"}
    assert error_code(client.post("/lti/launch", data=data)) == "LTI-STATE-MISMATCH"
