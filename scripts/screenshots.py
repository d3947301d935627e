"""Screenshots of the Vietnamese screens of the demo database, for the README.

    bash scripts/run.sh                     # the demo database, in another shell
    python3 scripts/screenshots.py [--url http://localhost:8069]
                                   [--db trade_union_demo] [--out DIR]

Logs in as each demo role (the password is the login), opens each screen of
SHOTS in headless Chromium 1440 px wide and saves a PNG per screen into
static/description/images/ (or --out). Needs chromium (or google-chrome) and
the Python package websocket-client (test-requirements.txt). A screen that
cannot be reached is reported and the others are still taken; the exit
status is 1 if any failed.
"""

import argparse
import base64
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import websocket

ACTION = "/odoo/action-trade_union_emulation."

# (file name, login, what to open). What to open is a path, or a
# (path, model, domain) triple: the form of the first record of ``model``
# matching ``domain`` that the user may read, at ``path/<id>``.
SHOTS = [
    (
        "organization_tree.png",
        "union.admin",
        ACTION + "union_organization_action" "?view_type=hierarchy",
    ),
    ("members.png", "union.officer", ACTION + "union_member_action"),
    (
        "member_form.png",
        "union.officer",
        (
            ACTION + "union_member_action",
            "union.member",
            [("is_union_officer", "=", True)],
        ),
    ),
    ("pledges.png", "union.grassroots", ACTION + "union_pledge_action"),
    (
        "pledge_form.png",
        "union.member",
        (ACTION + "union_pledge_action_my", "union.pledge", [("state", "=", "draft")]),
    ),
    (
        "member_evaluations.png",
        "union.manager",
        ACTION + "union_member_evaluation_action",
    ),
    ("dashboard.png", "union.manager", ACTION + "union_annual_report_action_dashboard"),
    (
        "annual_report_form.png",
        "union.manager",
        (
            ACTION + "union_annual_report_action",
            "union.annual.report",
            [("state", "=", "submitted")],
        ),
    ),
    ("settings.png", "union.admin", ACTION + "union_config_settings_action"),
]

WIDTH, HEIGHT = 1440, 900
# The page is ready when the web client shows a view and nothing is loading.
READY_JS = """
(() => {
    const view = document.querySelector('.o_action_manager .o_view_controller,'
        + ' .o_action_manager .o_form_view, .o_action_manager .o_setting_container');
    return document.readyState === 'complete' && !!view
        && !document.querySelector('.o_loading_indicator, .o_blockUI');
})()
"""


class Odoo:
    """A JSON-RPC session of one user."""

    def __init__(self, url, db, login):
        self.url = url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )
        self.call("/web/session/authenticate", db=db, login=login, password=login)

    def call(self, path, **params):
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps({"jsonrpc": "2.0", "params": params}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with self.opener.open(request, timeout=60) as response:
            answer = json.load(response)
        if answer.get("error"):
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer["result"]

    def first_id(self, model, domain):
        ids = self.call(
            "/web/dataset/call_kw",
            model=model,
            method="search",
            args=[domain],
            kwargs={"limit": 1},
        )
        if not ids:
            raise RuntimeError(f"no {model} matching {domain} for this user")
        return ids[0]

    @property
    def session_id(self):
        return next(c.value for c in self.cookies if c.name == "session_id")


class Chromium:
    """Headless Chromium driven through the DevTools protocol."""

    def __init__(self):
        binary = next(
            (
                shutil.which(name)
                for name in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(name)
            ),
            None,
        )
        if not binary:
            sys.exit("screenshots.py: chromium not found (apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="tue-shots-")
        port = free_port()
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--lang=vi-VN",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        target = self._page_target(port)
        self.ws = websocket.create_connection(
            target["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.next_id = 0
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _page_target(self, port):
        for _attempt in range(100):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/json/list", timeout=5
                ) as response:
                    pages = [t for t in json.load(response) if t["type"] == "page"]
                if pages:
                    return pages[0]
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit("screenshots.py: chromium did not start")

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def shoot(self, url, session_id, path, timeout=60):
        domain = urllib.parse.urlsplit(url).hostname
        self.send("Network.enable")
        self.send("Network.clearBrowserCookies")
        self.send(
            "Network.setCookie",
            name="session_id",
            value=session_id,
            domain=domain,
            path="/",
        )
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.5)
            ready = self.send(
                "Runtime.evaluate", expression=READY_JS, returnByValue=True
            )
            if ready.get("result", {}).get("value"):
                break
        else:
            raise RuntimeError(f"{url} did not finish loading in {timeout} s")
        time.sleep(1.5)  # animations, late images
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="trade_union_demo")
    parser.add_argument(
        "--out", default=os.path.join(here, "..", "static", "description", "images")
    )
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    sessions = {}
    browser = Chromium()
    failed = 0
    try:
        for name, login, target in SHOTS:
            try:
                if login not in sessions:
                    sessions[login] = Odoo(args.url, args.db, login)
                odoo = sessions[login]
                if isinstance(target, tuple):
                    path, model, domain = target
                    target = f"{path}/{odoo.first_id(model, domain)}"
                browser.shoot(
                    args.url.rstrip("/") + target,
                    odoo.session_id,
                    os.path.join(args.out, name),
                )
                print(f"{name}: {login} {target}")
            except Exception as error:  # noqa: BLE001 - report and go on
                failed += 1
                print(f"{name}: FAILED ({login} {target}): {error}", file=sys.stderr)
    finally:
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
