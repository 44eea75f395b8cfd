"""Reading the inbox page in the tests: its lines per kind, as the person sees them."""

from django.urls import reverse


def inbox_lines(response) -> dict:
    """Kind key → [(title, url, age)] of the lines shown, from the page's context."""
    return {
        section["kind"].key: [
            (item["line"].title, item["line"].url, item["age"]) for item in section["lines"]
        ]
        for part in response.context["parts"]
        for section in part["sections"]
    }


def inbox_counts(response) -> dict:
    return {
        section["kind"].key: section["count"]
        for part in response.context["parts"]
        for section in part["sections"]
    }


def get_inbox(client, **params):
    return client.get(reverse("inbox"), params)
