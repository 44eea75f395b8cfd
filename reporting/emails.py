"""The e-mails of the reporting app, their shipped words and placeholders (workflow.emails)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from workflow.emails import Audience, EmailKind, Placeholder, link_placeholder, register
from workflow.emails import absolute_url as site


def _quarterly_values(context) -> dict[str, str]:
    report = context["report"]
    return {
        "quarter": str(context.get("quarter", "")),
        "pages": str(report.pages),
        "sha256": report.sha256,
        "link": site(reverse("ministry_report", args=[report.pk])),
    }


register(
    EmailKind(
        key="quarterly_report",
        label=gettext_lazy("Quarterly report ready"),
        audience=Audience.SUBSCRIBER,
        subject=gettext_lazy("Progress report $quarter"),
        body=gettext_lazy(
            "The progress report of the $fund on the quarter $quarter is ready. Sign in to "
            "download it:\n$link\n\nIt has $pages pages. SHA-256 of the file: $sha256"
        ),
        placeholders=(
            Placeholder("quarter", gettext_lazy("the quarter"), "2026-Q3"),
            Placeholder("pages", gettext_lazy("the number of pages"), "24"),
            Placeholder("sha256", gettext_lazy("the SHA-256 of the file"), "9f86d081884c7d65…"),
            link_placeholder(gettext_lazy("the address of the report"), "/ministry/reports/42/"),
        ),
        values=_quarterly_values,
    ),
)
