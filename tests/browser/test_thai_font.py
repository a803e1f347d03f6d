"""The vendored Thai web font (issue 13): Chromium loads Sarabun from the portal's own static files and sets the
page's Thai text in it, whatever fonts the machine has."""
import pytest

from .helpers import chromium, new_page

pytestmark = pytest.mark.browser


def test_the_page_loads_the_vendored_sarabun_and_sets_its_thai_text_in_it(live_server):
    with chromium() as browser:
        page = new_page(browser, live_server.url)
        fonts = []
        page.on("response", lambda response: fonts.append((response.url, response.status))
                if "/static/fonts/" in response.url else None)
        page.goto(f"{live_server.url}/accounts/login/")
        page.evaluate("document.fonts.ready")
        loaded = page.evaluate("""() => [...document.fonts]
            .filter(face => face.family.replace(/["']/g, '') === 'Sarabun' && face.status === 'loaded')
            .map(face => face.weight)""")
        assert "400" in loaded  # the regular face, at least
        assert any(url.endswith("/sarabun-thai-400-normal.woff2") and status == 200 for url, status in fonts), fonts
        heading = page.locator("h1")
        assert heading.inner_text() == "เข้าสู่ระบบ"
        family = heading.evaluate("node => getComputedStyle(node).fontFamily")
        assert family.split(",")[0].strip().strip('"') == "Sarabun"
        # The Thai glyphs are available from the loaded face itself, not from a system fallback.
        assert page.evaluate("document.fonts.check('16px Sarabun', 'เข้าสู่ระบบ')")
