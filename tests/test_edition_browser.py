"""The HTML edition in a real browser: headless Chromium opens it from a file:// URL (tests/browser.py
speaks the DevTools protocol to it) and the tests check what a reader gets — every picture
loaded, the Chinese and English columns side by side at 1280 px and one above the other on a
phone, a page that is not blank, and no request leaving the machine.

Where no Chromium is installed these tests skip and say so; CI installs Debian's `chromium`.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from browser import Chromium, chromium_path
from editions import CORPUS, NO_CORPUS, built, report

CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium) — the browser tests need one")

DOCUMENTS = ["hokkaido-report", "kunsheng-report", "creditcard-report"]

# Where each pair's two halves stand: [zh left, zh top, zh right, en left, en top] for every
# visible pair of blocks with both languages.
PAIRS = """[...document.querySelectorAll('main .pair')].filter(p => p.children.length === 2 && p.offsetParent !== null)
  .map(p => { const a = p.children[0].getBoundingClientRect(), b = p.children[1].getBoundingClientRect();
              return [a.left, a.top, a.right, b.left, b.top, a.bottom]; })"""
IMAGES = "[...document.images].map(i => [i.getAttribute('src'), i.complete, i.naturalWidth, i.naturalHeight])"


def edition(name: str) -> Path:
    if name == "hokkaido-report":
        return report() / f"{name}.html"
    if not (CORPUS / f"{name}.pdf").exists():
        pytest.skip(NO_CORPUS)
    return built(CORPUS / f"{name}.pdf") / f"{name}.html"


@pytest.fixture(scope="module")
def browser():
    with Chromium(CHROMIUM) as b:
        yield b


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_edition_opens_from_a_file_url_with_every_picture_loaded_and_nothing_from_the_network(browser, name):
    path = edition(name)
    browser.refused.clear()
    browser.viewport(1280, 900)
    browser.open(path)
    images = browser.evaluate(IMAGES)
    assert len(images) == len(list((path.parent / f"{name}.assets").iterdir())) > 0
    assert [i for i in images if not (i[1] and i[2] > 0 and i[3] > 0)] == []  # every picture decoded
    assert browser.refused == []
    requested = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Fetch.requestPaused"]
    assert requested and all(u.startswith("file://") for u in requested)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_chinese_and_english_stand_side_by_side_at_1280_pixels_and_one_above_the_other_on_a_phone(browser, name):
    path = edition(name)
    browser.viewport(1280, 900)
    browser.open(path)
    wide = browser.evaluate(PAIRS)
    assert len(wide) > 50
    for zh_left, zh_top, zh_right, en_left, en_top, _ in wide:
        assert zh_right <= en_left and zh_left < 640 <= en_left + 40  # Chinese left, English right
        assert abs(zh_top - en_top) < 1  # each pair of blocks aligned
    browser.viewport(390, 844, mobile=True)
    browser.open(path)
    narrow = browser.evaluate(PAIRS)
    assert len(narrow) == len(wide)
    assert all(en_top >= zh_bottom - 1 for _, _, _, _, en_top, zh_bottom in narrow)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone


def test_the_page_is_not_blank(browser):
    browser.viewport(1280, 900)
    browser.open(edition("hokkaido-report"))
    assert browser.evaluate("document.body.innerText.length") > 100_000
    shot = Image.open(io.BytesIO(browser.screenshot())).convert("L")
    assert shot.size == (1280, 900)
    dark = sum(shot.histogram()[:128])
    assert dark > 5_000  # text on the first screen, not an empty white page


def test_the_browser_check_catches_a_request_that_would_leave_the_machine(browser, tmp_path):
    # the same check as above must fail on a page that loads over the network (loopback addresses
    # only: the request is refused before it is sent, and would not leave the machine if it were)
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html><body><p>x</p><img src="http://127.0.0.1:9/x.png">'
                    '<link rel="stylesheet" href="https://127.0.0.1:9/f.css"></body></html>', encoding="utf-8")
    browser.refused.clear()
    browser.viewport(1280, 900)
    browser.open(page)
    assert sorted(browser.refused) == ["http://127.0.0.1:9/x.png", "https://127.0.0.1:9/f.css"]
    assert browser.evaluate(IMAGES)[0][2] == 0
