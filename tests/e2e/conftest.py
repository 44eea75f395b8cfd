"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test visits is checked with axe-core (``axe_check``); a violation of impact
"serious" or "critical" fails the test with a readable list.
"""

import contextlib
import os
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from accounts.roles import Role

# The live server runs in a thread of this process; Playwright's sync API runs an event
# loop in the main thread, which makes Django refuse ORM calls made from the test body.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
SERIOUS_IMPACTS = ("serious", "critical")
# CI runs the SQLite and the PostgreSQL suites side by side on two cores, each with its
# Chromium. A click waits until the button has been drawn twice in the same place, and a
# starved browser drew nothing for 8 s once (a staff check of a statement line, on
# PostgreSQL, stop 42): 20 s still fails a missing element well within half a minute.
TIMEOUT_MS = 20_000

expect.set_options(timeout=TIMEOUT_MS)

_axe = Axe()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in ``page.goto`` go to the live server (this also replaces
    pytest-playwright's fallback fixture, which newer pytest versions warn about)."""
    _warm_up(live_server.url)
    return live_server.url


def _warm_up(url):
    """The first request of a session imports every URL module and compiles the base
    templates; on a busy machine that takes longer than a test's page timeout, so it
    happens here once, before any test's clock runs."""
    for path in ("/", "/accounts/login/"):
        # A failure here is left to the tests themselves to report.
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url + path, timeout=120).read()  # noqa: S310 (our server)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An English-speaking visitor unless a test switches the language itself.
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}


def _create_role_groups():
    for role in Role:
        Group.objects.get_or_create(name=role.value)


_BLOCKER = pytest.StashKey()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """live_server makes every test transactional: the database is flushed after it, which
    also removes the role groups made by a data migration. Put them back once all fixtures
    are torn down, so that tests running later find the database as migrated. After the
    last test the session's test database is gone with its fixtures: nothing to put back."""
    result = yield
    blocker = item.stash.get(_BLOCKER, None)
    if blocker is not None and nextitem is not None:
        with blocker.unblock():
            _create_role_groups()
    return result


@pytest.fixture(autouse=True)
def _e2e_database(request, transactional_db, django_db_blocker):
    """Role groups exist (an earlier transactional test may have flushed them), and the
    cache is empty: allauth keeps used TOTP codes and rate-limit counters there."""
    request.node.stash[_BLOCKER] = django_db_blocker
    _create_role_groups()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(page):
    """Fail within seconds rather than half a minute when an element is missing, and fail
    when a style sheet or script does not load or the browser reports an error (for
    example a Content-Security-Policy violation)."""
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    problems = []

    def on_response(response):
        if "/static/" in response.url and response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    def on_console(message):
        location = message.location.get("url", "") if message.location else ""
        if message.type == "error" and not location.endswith("/favicon.ico"):
            problems.append(f"console error: {message.text} ({location})")

    failed, downloads = [], set()
    page.on("response", on_response)
    page.on("requestfailed", lambda request: failed.append(request.url))
    # A download (a form that answers with a file) ends its navigation, which the browser
    # reports as a failed request: not a problem.
    page.on("download", lambda download: downloads.add(download.url))
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield page
    problems += [f"failed: {url}" for url in failed if url not in downloads]
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


def axe_check(page, *, label=None):
    """Run axe-core on the page as it is now; fail on serious or critical violations."""
    results = _axe.run(page)
    violations = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in SERIOUS_IMPACTS
    ]
    if violations:
        lines = [
            f"axe-core found {len(violations)} serious/critical violation(s) on {label or page.url}:"
        ]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"]:
                lines.append(f"    * {', '.join(map(str, node['target']))}: {node['html'][:200]}")
                summary = node.get("failureSummary")
                if summary:
                    lines.extend(f"        {line}" for line in summary.splitlines())
        message = "\n".join(lines)
        print(message)
        pytest.fail(message, pytrace=False)
    return results


def after_the_next_frames(page):
    """Wait until the page has drawn twice: what a person sees after the window changed
    size, once the page's resize handlers and observers have run."""
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


def axe_both_widths(page, label):
    """axe-core at 1280 and at 390 px, where nothing may be wider than the phone's screen
    but scrollable tables; back at 1280 px after."""
    axe_check(page, label=f"{label} (1280 px)")
    page.set_viewport_size({"width": 390, "height": 844})
    after_the_next_frames(page)
    axe_check(page, label=f"{label} (390 px)")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{label}: the page is {overflow} px wider than a phone"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture(name="axe_check")
def axe_check_fixture():
    return axe_check


def log_in_browser(page, live_server, user):
    """Give the browser a session of ``user`` without going through the sign-in pages
    (for users without a second factor; the sign-in pages have their own tests)."""
    client = Client()
    client.force_login(user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_server.url}]
    )


def log_in_browser_with_second_factor(page, live_server, user):
    """A browser session of ``user`` that counts as signed in with the second factor (for
    jurors, staff, ministry viewers and admins; the sign-in pages have their own tests)."""
    from tests.accounts.helpers import sign_in_with_mfa

    client = Client()
    sign_in_with_mfa(client, user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_server.url}]
    )
