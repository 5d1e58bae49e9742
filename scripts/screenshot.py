"""Screenshots of Odoo pages as a logged-in user, in headless Chromium, for
looking at what we build (not a test).

    screenshot.py URL LOGIN PASSWORD OUT.png [--width 1280] [--height 900] [--wait 4]
                  [--click CSS-SELECTOR ...]

Logs in through /web/login, hands the session cookie to Chromium over the
DevTools protocol, opens URL and saves the picture.
"""

import argparse
import base64
import json
import re
import shutil
import subprocess
import tempfile
import time
from urllib.parse import urlparse

import requests
import websocket


def login(base, user, password):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/web/login",
        data={"login": user, "password": password, "csrf_token": token},
        timeout=60,
    )
    return session.cookies.get("session_id")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("login")
    parser.add_argument("password")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--wait", type=float, default=4)
    parser.add_argument(
        "--click", action="append", default=[], help="CSS selector to click, in order"
    )
    args = parser.parse_args()
    parsed = urlparse(args.url)
    base = f"{parsed.scheme}://{parsed.netloc}"
    session_id = login(base, args.login, args.password) if args.login != "-" else None

    profile = tempfile.mkdtemp()
    port = 9333
    chrome = subprocess.Popen(
        [
            shutil.which("chromium") or "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={port}",
            f"--window-size={args.width},{args.height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                targets = requests.get(
                    f"http://127.0.0.1:{port}/json", timeout=2
                ).json()
                page = next(t for t in targets if t["type"] == "page")
                break
            except (requests.ConnectionError, StopIteration):
                time.sleep(0.2)
        ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        counter = iter(range(1, 1000))

        def call(method, **params):
            msg_id = next(counter)
            ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
            while True:
                msg = json.loads(ws.recv())
                if msg.get("id") == msg_id:
                    return msg.get("result", {})

        call("Network.enable")
        if session_id:
            call(
                "Network.setCookie",
                name="session_id",
                value=session_id,
                domain=parsed.hostname,
                path="/",
            )
        call(
            "Emulation.setDeviceMetricsOverride",
            width=args.width,
            height=args.height,
            deviceScaleFactor=1,
            mobile=args.width < 600,
        )
        call("Page.enable")
        call("Page.navigate", url=args.url)
        time.sleep(args.wait)
        for selector in args.click:
            call(
                "Runtime.evaluate",
                expression=f"document.querySelector({json.dumps(selector)}).click()",
            )
            time.sleep(2)
        shot = call("Page.captureScreenshot", format="png")
        with open(args.out, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        ws.close()
    finally:
        chrome.terminate()
        chrome.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
