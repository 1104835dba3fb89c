"""An installer's browser on mentorbot's Slack install pages and the fake Slack's authorize page.

Plain HTTP, the OAuth state cookie carried by hand as a browser would (aiohttp's cookie jar keeps
no `Secure` cookie for http://127.0.0.1), so a test can also hand over the wrong one.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import aiohttp


@dataclass
class Landing:
    """Where the browser ended: the status and the page."""

    status: int
    text: str


class Installer:
    """A workspace admin installing the app from `base` (the app's public URL)."""

    def __init__(self, base: str) -> None:
        self.base = base

    async def start(self, team: str) -> tuple[str, str]:
        """Open `/slack/install`: the authorize URL it links to, and the state cookie."""
        async with (
            aiohttp.ClientSession() as browser,
            browser.get(f"{self.base}/slack/install?team={team}") as page,
        ):
            assert page.status == 200, await page.text()
            found = re.search(r'href="([^"]+oauth/v2/authorize[^"]+)"', await page.text())
            assert found is not None, "no Add to Slack link"
            cookie = page.headers["Set-Cookie"].split(";")[0]
        return html.unescape(found.group(1)), cookie

    async def authorize(self, url: str) -> str:
        """Slack's authorize page, approved: where it sends the browser back (with a code)."""
        async with (
            aiohttp.ClientSession() as browser,
            browser.get(url, allow_redirects=False) as page,
        ):
            assert page.status == 302, await page.text()
            return page.headers["Location"]

    async def come_back(self, location: str, cookie: str) -> Landing:
        async with (
            aiohttp.ClientSession() as browser,
            browser.get(location, headers={"Cookie": cookie}, allow_redirects=False) as page,
        ):
            return Landing(page.status, await page.text())

    async def install(self, team: str) -> Landing:
        url, cookie = await self.start(team)
        return await self.come_back(await self.authorize(url), cookie)
