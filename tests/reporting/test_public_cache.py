"""The public transparency page and the 360Giving open data are kept in the cache for a few
minutes (issue 15, item 12, last bullet): a second request within PUBLIC_PAGES_CACHE_SECONDS
makes no query, a later one reads the database again. What the pages show is unchanged."""

import datetime as dt
import json
import re

from django.core.cache import cache

from core.cached_stream import cached_pieces, forget
from grants.models import Application
from tests.accounts.helpers import make_role_user, sign_in
from tests.reporting.world import NOW

OPEN_DATA = "/open-data/360giving.json"


def without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def grant_ids(response) -> list[str]:
    return sorted(grant["id"] for grant in json.loads(body(response))["grants"])


# Open data ---------------------------------------------------------------------------------


def test_the_second_open_data_request_makes_no_query(world, client, django_assert_num_queries):
    first = body(client.get(OPEN_DATA))

    with django_assert_num_queries(0):
        second = client.get(OPEN_DATA)
        served = body(second)

    assert served == first
    assert len(json.loads(served)["grants"]) == 3
    assert second["Content-Type"] == "application/json"
    assert second["Access-Control-Allow-Origin"] == "*"
    assert second["Cache-Control"] == "public, max-age=300"


def test_the_open_data_is_kept_for_at_most_five_minutes(world, client, travel, settings):
    assert settings.PUBLIC_PAGES_CACHE_SECONDS == 300
    before = grant_ids(client.get(OPEN_DATA))
    Application.objects.filter(pk=world.grants[0].application_id).update(state="approved")

    travel.move_to(NOW + dt.timedelta(seconds=299))
    stale = grant_ids(client.get(OPEN_DATA))
    travel.move_to(NOW + dt.timedelta(seconds=301))
    fresh = grant_ids(client.get(OPEN_DATA))

    assert stale == before
    assert len(fresh) == 2 and set(fresh) < set(before)


def test_a_download_broken_off_is_not_kept(world, client, django_assert_num_queries):
    response = client.get(OPEN_DATA)
    pieces = iter(response.streaming_content)
    next(pieces)
    # The client went away. Closing the test client's wrapper of the body closes our generator
    # and then the response, as a WSGI server would, but keeps the database connection open
    # (response.close() alone would close it, and with it the test's transaction on PostgreSQL).
    response._iterator.close()

    with django_assert_num_queries(7):  # the export's queries, as for a first request
        complete = body(client.get(OPEN_DATA))

    assert len(json.loads(complete)["grants"]) == 3


def test_no_open_data_is_kept_too(db, client, django_assert_num_queries):
    assert client.get(OPEN_DATA).status_code == 404

    with django_assert_num_queries(0):
        again = client.get(OPEN_DATA)

    assert again.status_code == 404
    assert b"No grant has been published yet" in again.content


# The transparency page ----------------------------------------------------------------------


def test_the_second_transparency_request_makes_no_query(world, client, django_assert_num_queries):
    first = client.get("/transparency/", HTTP_ACCEPT_LANGUAGE="en")

    with django_assert_num_queries(0):
        second = client.get("/transparency/", HTTP_ACCEPT_LANGUAGE="en")

    html = second.content.decode()
    assert second.status_code == 200
    assert "3 funded projects" in html
    # The same page; only the CSRF token of the language switch is made anew each time.
    assert without_csrf_tokens(html) == without_csrf_tokens(first.content.decode())


def test_the_figures_are_kept_per_language(world, client, django_assert_num_queries):
    client.get("/transparency/", HTTP_ACCEPT_LANGUAGE="en")

    with django_assert_num_queries(5):  # German figures are read and kept on their own
        german = client.get("/transparency/", HTTP_ACCEPT_LANGUAGE="de")

    assert "3 geförderte Projekte" in german.content.decode()
    assert "Accept-Language" in german["Vary"] and "Cookie" in german["Vary"]
    assert "public" not in german.get("Cache-Control", "")  # the page has a CSRF token


def test_the_transparency_figures_are_kept_for_at_most_five_minutes(world, client, travel):
    client.get("/transparency/", HTTP_ACCEPT_LANGUAGE="en")
    Application.objects.filter(pk=world.grants[0].application_id).update(state="approved")

    travel.move_to(NOW + dt.timedelta(seconds=299))
    stale = client.get("/transparency/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    travel.move_to(NOW + dt.timedelta(seconds=301))
    fresh = client.get("/transparency/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "3 funded projects" in stale
    assert "2 funded projects" in fresh


def test_the_page_around_the_figures_is_made_for_each_visitor(world, client):
    staff = make_role_user("staff", full_name="Jonas Becker")
    sign_in(client, staff)
    signed_in = client.get("/transparency/", HTTP_ACCEPT_LANGUAGE="en")
    client.logout()

    anonymous = client.get("/transparency/", HTTP_ACCEPT_LANGUAGE="en")

    assert 'action="/accounts/logout/"' in signed_in.content.decode()
    assert "no-store" in signed_in["Cache-Control"]
    assert 'action="/accounts/logout/"' not in anonymous.content.decode()
    assert 'href="/accounts/login/' in anonymous.content.decode()


# The cached stream ---------------------------------------------------------------------------


def test_a_long_body_is_kept_in_blocks_and_replayed_whole(db):
    pieces = [f"piece {number};" for number in range(10)]
    produced = []

    def produce():
        produced.append(1)
        return iter(pieces)

    first = "".join(cached_pieces("test:long", produce, timeout=60, block_characters=25))
    second = "".join(cached_pieces("test:long", produce, timeout=60, block_characters=25))

    assert first == second == "".join(pieces)
    assert produced == [1]
    assert cache.get("test:long")["blocks"] == 3  # 80 characters: 32, 32 and 16


def test_forgetting_a_body_drops_its_blocks_too(db):
    pieces = [f"piece {number};" for number in range(10)]
    "".join(cached_pieces("test:gone", lambda: iter(pieces), timeout=60, block_characters=25))
    other = "".join(cached_pieces("test:kept", lambda: iter(pieces), timeout=60))
    run = cache.get("test:gone")["run"]

    forget("test:gone")

    assert [key for key in cache._cache if "test:gone" in key] == []  # noqa: SLF001
    assert cache.get_many([f"test:gone:{run}:{n}" for n in range(3)]) == {}
    assert "".join(cached_pieces("test:kept", lambda: iter([]), timeout=60)) == other
    forget("test:never-cached")  # nothing there is no error


def test_a_lost_block_makes_it_read_the_source_again(db):
    pieces = [f"piece {number};" for number in range(10)]
    "".join(cached_pieces("test:lost", lambda: iter(pieces), timeout=60, block_characters=25))
    entry = cache.get("test:lost")
    cache.delete(f"test:lost:{entry['run']}:2")

    again = "".join(cached_pieces("test:lost", lambda: iter(pieces), timeout=60))

    assert again == "".join(pieces)
    assert cache.get("test:lost")["run"] != entry["run"]


def test_memory_stays_flat_while_recording_and_replaying(settings, tmp_path):
    """With production's file cache, a 12 MB body is never held whole: at most about two
    blocks (1 MB each) at a time, while it is recorded and while it is replayed."""
    import tracemalloc

    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    piece = "x" * 1000 + "\n"

    def produce():
        return (piece for _ in range(12_000))

    try:
        tracemalloc.start()
        recorded = sum(len(p) for p in cached_pieces("test:big", produce, timeout=60))
        _current, recording_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        replayed = sum(len(p) for p in cached_pieces("test:big", produce, timeout=60))
        _current, replaying_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        caches["default"].clear()

    assert recorded == replayed == 12_012_000
    assert recording_peak < 4_000_000
    assert replaying_peak < 4_000_000
