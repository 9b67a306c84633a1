"""The website widget in real headless Chromium, against the running assistant."""

from __future__ import annotations

import shutil

import pytest

from bot.staff.feedback import FEEDBACK_SLOT
from bot.web.sessions import conversation_id
from tests.stack.servers import BOOKING_URL
from tools import RESULTS_DIR

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)"
)
SCREENSHOTS = RESULTS_DIR / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def bot_texts(page) -> list[str]:
    return page.locator(".cc-msg-bot").all_inner_texts()


def assert_thumbs_down_is_kept_in_the_conversation(stack, page) -> None:
    thumbs_down = page.locator(".cc-feedback button[data-rating='down']")
    assert thumbs_down.count() == 1
    with page.expect_response("**/api/feedback") as sent:
        thumbs_down.click()
    assert sent.value.status == 200
    assert page.locator(".cc-feedback-thanks").inner_text() == "Thanks for telling us."
    session = page.evaluate("() => localStorage.getItem('clinicChat.sessionId')")
    ratings = [
        e["value"]
        for e in stack.tracker(conversation_id(session))["events"]
        if e["event"] == "slot" and e["name"] == FEEDBACK_SLOT
    ]
    assert [r["rating"] for r in ratings] == ["down"]
    assert ratings[0]["passage"].startswith("hip-arthritis-back-pain#")


def test_visitor_conversation_in_the_widget(stack, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{stack.web_url}/")
    page.click("#cc-launcher")
    page.fill("#cc-input", "Can hip arthritis cause sciatica?")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#cc-log').innerText.includes('mimic sciatica')",
        timeout=60_000,
    )
    log_text = page.inner_text("#cc-log")
    assert "How Hip Arthritis Can Cause Back Pain" in log_text
    booking = page.locator(f'a[href="{BOOKING_URL}"]').first
    assert booking.get_attribute("target") == "_blank"
    page.screenshot(path=str(SCREENSHOTS / "widget-answer.png"))
    assert_thumbs_down_is_kept_in_the_conversation(stack, page)

    page.fill("#cc-input", "I want to check my symptoms")
    page.keyboard.press("Enter")
    chip = page.locator("button.cc-chip", has_text="Groin or front of the thigh")
    chip.wait_for(timeout=60_000)
    chip.click()
    page.wait_for_function(
        "() => document.querySelector('#cc-log').innerText.includes('What makes it worse')",
        timeout=60_000,
    )
    # The pressed button is gone; keyboard focus stayed in the panel, on the new reply.
    focused = page.evaluate(
        "() => ({inPanel: !!document.activeElement.closest('#cc-panel'),"
        " text: document.activeElement.innerText || ''})"
    )
    assert focused["inPanel"], focused
    assert "What makes it worse" in focused["text"], focused

    page.reload()
    page.wait_for_selector(".cc-msg-bot")
    restored = page.inner_text("#cc-log")
    assert "mimic sciatica" in restored
    assert "What makes it worse" in restored

    if not page.is_visible("#cc-input"):
        page.click("#cc-launcher")
    page.fill("#cc-input", "<script>alert(1)</script>")
    page.keyboard.press("Enter")
    page.wait_for_selector(".cc-msg-user >> text=<script>alert(1)</script>", timeout=30_000)
    page.wait_for_timeout(1500)
    assert dialogs == []
    assert page.locator("#cc-log script").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "widget-after-reload.png"))
    page.close()


def test_widget_on_a_phone(stack, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(f"{stack.web_url}/")
    page.click("#cc-launcher")
    box = page.locator("#cc-panel").bounding_box()
    assert box and box["width"] >= 380
    page.screenshot(path=str(SCREENSHOTS / "widget-phone.png"))
    page.close()


def ask_and_wait(page, question: str, expected: str) -> None:
    page.fill("#cc-input", question)
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('#cc-log').innerText.includes({expected!r})",
        timeout=60_000,
    )


def test_start_over_asks_first_and_a_shared_computer_forgets(stack, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{stack.web_url}/")
    page.click("#cc-launcher")
    ask_and_wait(page, "Can hip arthritis cause sciatica?", "mimic sciatica")

    # A stray click on "Start over" is asked about, and "Cancel" keeps the conversation.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#cc-restart")
    assert "mimic sciatica" in page.inner_text("#cc-log")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#cc-restart")
    page.wait_for_function(
        "() => !document.querySelector('#cc-log').innerText.includes('mimic sciatica')"
    )

    # The next person at the computer, after the conversation's keeping time, finds nothing.
    ask_and_wait(page, "Can hip arthritis cause sciatica?", "mimic sciatica")
    page.evaluate(
        "() => localStorage.setItem('clinicChat.lastActive', String(Date.now() - 31 * 60000))"
    )
    page.reload()
    page.wait_for_selector("#cc-launcher")
    assert not page.is_visible("#cc-panel")
    kept = page.evaluate("() => localStorage.getItem('clinicChat.transcript') || ''")
    assert "mimic sciatica" not in kept
    page.click("#cc-launcher")
    assert "mimic sciatica" not in page.inner_text("#cc-log")
    page.close()
