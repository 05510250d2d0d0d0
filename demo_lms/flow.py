"""LaunchDriver: the browser's part of an LTI launch, over real HTTP with `requests`.

A browser follows redirects and auto-submitting forms (the OIDC form_post, the tool's deep-linking return);
the driver does the same, so tests and benchmarks exercise the real endpoints of both sides. It also stops
half-way (`begin`) so a negative test can post its own forged id_token with the real state and nonce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests

USER_AGENT = "carecert-demo-lms-driver/1.0"  # some platforms and tools refuse requests without one


@dataclass
class HtmlForm:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    id: str | None = None
    choices: dict[str, list[str]] = field(default_factory=dict)  # values of radio buttons and checkboxes


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[HtmlForm] = []
        self.scripts: list[str] = []
        self.meta_refresh: str | None = None
        self._in_script = False
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            method = attributes.get("method", "get").lower()
            self.forms.append(HtmlForm(attributes.get("action", ""), method, {}, attributes.get("id")))
        elif tag == "input" and self.forms and attributes.get("name"):
            kind = attributes.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                self.forms[-1].choices.setdefault(attributes["name"], []).append(
                    attributes.get("value", "on")
                )
                if "checked" not in attributes:
                    return
            if kind not in ("submit", "button", "image", "reset", "file"):
                self.forms[-1].fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "textarea" and self.forms and attributes.get("name"):
            self.forms[-1].fields[attributes["name"]] = ""
        elif tag == "select" and self.forms:
            self._select = attributes.get("name")
        elif tag == "option" and self._select and self.forms:
            # the first option, or a selected one, is the select's value
            if "selected" in attributes or self._select not in self.forms[-1].fields:
                self.forms[-1].fields[self._select] = attributes.get("value", "")
        elif tag == "script":
            self._in_script = True
            self.scripts.append("")
        elif tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            content = attributes.get("content", "")
            if "url=" in content.lower():
                self.meta_refresh = content[content.lower().index("url=") + 4 :].strip("'\" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse_forms(html: str, base_url: str) -> list[HtmlForm]:
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        form.action = urljoin(base_url, form.action or base_url)
    return parser.forms


def auto_submitted_form(response: requests.Response) -> HtmlForm | None:
    """The form a page submits by script on load (OIDC form_post, deep-linking return), if any."""
    if "html" not in response.headers.get("Content-Type", ""):
        return None
    parser = _FormParser()
    parser.feed(response.text)
    script = " ".join(parser.scripts)
    if not parser.forms or ".submit()" not in script:
        return None
    for form in parser.forms:
        if form.id and form.id in script:
            return form
    return HtmlForm(
        urljoin(response.url, parser.forms[0].action or response.url),
        parser.forms[0].method,
        parser.forms[0].fields,
        parser.forms[0].id,
    )


@dataclass
class AuthRequest:
    """The tool's OIDC authentication request to the platform's /auth, as the browser would send it."""

    url: str
    method: str
    params: dict[str, str]

    @property
    def state(self) -> str:
        return self.params["state"]

    @property
    def nonce(self) -> str:
        return self.params["nonce"]

    @property
    def redirect_uri(self) -> str:
        return self.params["redirect_uri"]


class LaunchDriver:
    def __init__(
        self, platform_url: str, session: requests.Session | None = None, max_steps: int = 12
    ) -> None:
        self.platform_url = platform_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        self.max_steps = max_steps
        self.last_launch_post: tuple[str, dict[str, str]] | None = None  # (redirect_uri, id_token + state)

    # -- whole flows ---------------------------------------------------------------------------------------
    def launch(self, user_id: str, resource_link_id: str, target: str = "window") -> requests.Response:
        """Platform launch button -> tool login -> platform /auth -> tool launch; the tool's final answer."""
        params = {"user": user_id, "rl": resource_link_id, "target": target}
        return self._run(self.request("GET", self.platform_url + "/launch", params=params))

    def deep_link(self, user_id: str) -> requests.Response:
        """Start deep linking as `user_id`; answers the tool's picker page (submit it with submit_form)."""
        return self._run(self.request("GET", self.platform_url + "/deep_link", params={"user": user_id}))

    def submit_form(
        self, response: requests.Response, data: dict[str, str] | None = None, form_index: int = 0
    ) -> requests.Response:
        """Submit a form of a page (e.g. the tool's unit picker), then follow what a browser would."""
        form = parse_forms(response.text, response.url)[form_index]
        fields = {**form.fields, **(data or {})}
        return self.follow(self._send_form(form.action, form.method, fields))

    # -- steps -----------------------------------------------------------------------------------------------
    def begin(
        self, user_id: str, resource_link_id: str | None = None, deep_link: bool = False
    ) -> AuthRequest:
        """Run the launch up to the tool's request to the platform's /auth, without sending that request."""
        if deep_link:
            url, params = self.platform_url + "/deep_link", {"user": user_id}
        else:
            url, params = self.platform_url + "/launch", {"user": user_id, "rl": resource_link_id or ""}
        response = self.request("GET", url, params=params, allow_redirects=False)
        for _ in range(self.max_steps):
            target = self._next_hop(response)
            if target is None:
                raise AssertionError(
                    f"the flow stopped before /auth at {response.url}: {response.status_code}"
                )
            method, next_url, fields = target
            if urlsplit(next_url).path.endswith("/auth") and next_url.startswith(self.platform_url):
                query = dict(parse_qsl(urlsplit(next_url).query))
                return AuthRequest(next_url.split("?")[0], method, {**query, **fields})
            response = self._send_form(next_url, method, fields, allow_redirects=False)
        raise AssertionError("too many steps before reaching /auth")

    def authorize(self, auth: AuthRequest) -> requests.Response:
        """Send the tool's authentication request to the platform (answers the auto-posting launch form)."""
        return self._send_form(auth.url, auth.method, auth.params)

    def finish(self, auth: AuthRequest, id_token: str, state: str | None = None) -> requests.Response:
        """Post an id_token (maybe forged) with the real state to the tool's redirect URI, as form_post
        does."""
        fields = {"id_token": id_token, "state": auth.state if state is None else state}
        self.last_launch_post = (auth.redirect_uri, fields)
        return self.follow(self.request("POST", auth.redirect_uri, data=fields))

    def replay_last_launch(self) -> requests.Response:
        """Post the last id_token and state to the tool again (a replayed launch)."""
        if self.last_launch_post is None:
            raise AssertionError("no launch to replay")
        url, fields = self.last_launch_post
        return self.request("POST", url, data=fields)

    def follow(self, response: requests.Response) -> requests.Response:
        """Follow auto-submitting forms until a page stops submitting itself."""
        for _ in range(self.max_steps):
            form = auto_submitted_form(response)
            if form is None:
                return response
            if set(form.fields) >= {"id_token", "state"}:
                self.last_launch_post = (form.action, dict(form.fields))
            response = self._send_form(form.action, form.method, form.fields)
        raise AssertionError("too many auto-submitting forms in a row")

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, url, **kwargs)

    # -- internals ---------------------------------------------------------------------------------------
    def _run(self, response: requests.Response) -> requests.Response:
        return self.follow(response)

    def _send_form(
        self, url: str, method: str, fields: dict[str, str], allow_redirects: bool = True
    ) -> requests.Response:
        if method.lower() == "post":
            return self.request("POST", url, data=fields, allow_redirects=allow_redirects)
        return self.request("GET", url, params=fields or None, allow_redirects=allow_redirects)

    def _next_hop(self, response: requests.Response) -> tuple[str, str, dict[str, str]] | None:
        if response.is_redirect:
            return "get", urljoin(response.url, response.headers["Location"]), {}
        form = auto_submitted_form(response)
        if form is not None:
            return form.method, form.action, form.fields
        parser = _FormParser()
        parser.feed(response.text)
        if parser.meta_refresh:
            return "get", urljoin(response.url, parser.meta_refresh), {}
        return None
