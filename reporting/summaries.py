"""The paragraphs of a report, written from its figures in the active language: the report's
summary and one paragraph per project. Every number comes from reporting.figures."""

from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formats import euro
from reporting.tables import euros_from_cents, format_count, format_percent


def _day(value) -> str:
    return date_filter(value, "DATE_FORMAT")


def first_upper(text: str) -> str:
    """The first letter in upper case, the rest as it is (str.capitalize lowers it)."""
    return text[:1].upper() + text[1:]


def counted(template: str, count) -> str:
    """A counted phrase whose singular or plural ngettext chose at the call site ("1 dataset",
    "2 datasets"): a number never stands before a noun or verb that does not agree with it."""
    return template % {"count": format_count(count)}


def span_text(start, end) -> str:
    """A period with both ends, as a range: "1 January 2026 – 31 March 2026"."""
    return f"{_day(start)} – {_day(end)}"


def period_text(date_from, date_to) -> str:
    if date_from and date_to:
        return _("from %(start)s to %(end)s") % {"start": _day(date_from), "end": _day(date_to)}
    if date_from:
        return _("since %(start)s") % {"start": _day(date_from)}
    if date_to:
        return _("until %(end)s") % {"end": _day(date_to)}
    return _("since the fund began")


def received_sentence(figures: dict, period: str) -> str:
    return ngettext(
        "%(period)s, %(count)s application was received.",
        "%(period)s, %(count)s applications were received.",
        figures["received"],
    ) % {"period": first_upper(period), "count": format_count(figures["received"])}


def decided_sentence(figures: dict) -> str:
    if not figures["decided_received"]:
        return _("None of them is in a call that has been decided yet.")
    signed = counted(
        ngettext(
            "%(count)s grant agreement was signed",
            "%(count)s grant agreements were signed",
            figures["funded"],
        ),
        figures["funded"],
    )
    return ngettext(
        "In the calls decided, %(approved)s of %(count)s application was approved "
        "(acceptance rate %(rate)s, decided calls only); %(signed)s.",
        "In the calls decided, %(approved)s of %(count)s applications were approved "
        "(acceptance rate %(rate)s, decided calls only); %(signed)s.",
        figures["decided_received"],
    ) % {
        "approved": format_count(figures["decided_approved"]),
        "count": format_count(figures["decided_received"]),
        "rate": format_percent(figures["acceptance_rate"]),
        "signed": signed,
    }


def money_sentence(figures: dict) -> str:
    return _(
        "%(committed)s were committed in grant agreements and %(disbursed)s disbursed; "
        "%(gap)s of the commitments are still to be paid."
    ) % {
        "committed": euro(euros_from_cents(figures["committed"])),
        "disbursed": euro(euros_from_cents(figures["disbursed"])),
        "gap": euro(euros_from_cents(figures["gap"])),
    }


def milestones_sentence(figures: dict, today) -> str:
    return ngettext(
        # No verb agrees with on_time: "1 were reported" read wrongly in both languages.
        "%(count)s milestone due by %(today)s: %(on_time)s reported on time, %(late)s late.",
        "%(count)s milestones due by %(today)s: %(on_time)s reported on time, %(late)s late.",
        figures["milestones_due"],
    ) % {
        "count": format_count(figures["milestones_due"]),
        "today": _day(today),
        "on_time": format_count(figures["on_time"]),
        "late": format_count(figures["late"]),
    }


def repositories_text(count) -> str:
    return counted(
        ngettext("%(count)s code repository", "%(count)s code repositories", count), count
    )


def datasets_text(count) -> str:
    return counted(ngettext("%(count)s dataset", "%(count)s datasets", count), count)


def outcomes_sentence(figures: dict) -> str:
    bodies = ngettext(
        "%(count)s public body partners with, adopts or reuses %(projects)s of them.",
        "%(count)s public bodies partner with, adopt or reuse %(projects)s of them.",
        figures["public_bodies"],
    ) % {
        "count": format_count(figures["public_bodies"]),
        "projects": format_count(figures["collaborating_projects"]),
    }
    return _(
        "The projects released %(repositories)s and opened %(datasets)s under open licences; "
        "%(bodies)s"
    ) % {
        "repositories": repositories_text(figures["repositories"]),
        "datasets": datasets_text(figures["datasets"]),
        "bodies": bodies,
    }


def report_summary(figures: dict, *, date_from, date_to, today) -> str:
    """One paragraph on the selection: applications, money, milestones and outcomes."""
    return " ".join(
        [
            received_sentence(figures, period_text(date_from, date_to)),
            decided_sentence(figures),
            money_sentence(figures),
            milestones_sentence(figures, today),
            outcomes_sentence(figures),
        ]
    )


def project_summary(project: dict, *, topic: str, call: str, bodies: list[str]) -> str:
    """One paragraph on one funded project, from its row in reporting.figures.projects."""
    sentences = [
        _(
            "%(title)s (%(reference)s, %(topic)s, %(call)s) was awarded %(award)s for the "
            "period %(start)s to %(end)s."
        )
        % {
            "title": project["title"],
            "reference": project["reference"],
            "topic": topic,
            "call": call,
            "award": euro(euros_from_cents(project["award"])),
            "start": _day(project["starts_on"]),
            "end": _day(project["ends_on"]),
        },
        ngettext(
            "%(accepted)s of %(count)s milestone has been accepted and %(disbursed)s disbursed.",
            "%(accepted)s of %(count)s milestones have been accepted and %(disbursed)s disbursed.",
            project["milestones"],
        )
        % {
            "accepted": format_count(project["milestones_accepted"]),
            "count": format_count(project["milestones"]),
            "disbursed": euro(euros_from_cents(project["disbursed"])),
        },
    ]
    if project["milestones_late"]:
        sentences.append(
            ngettext(
                "%(count)s milestone was late.",
                "%(count)s milestones were late.",
                project["milestones_late"],
            )
            % {"count": format_count(project["milestones_late"])}
        )
    sentences.append(
        _(
            "Open code repositories: %(repositories)s; open datasets: %(datasets)s; "
            "releases: %(releases)s; users reached: %(users)s."
        )
        % {
            "repositories": format_count(project["repositories"]),
            "datasets": format_count(project["datasets"]),
            "releases": format_count(project["releases"]),
            "users": format_count(project["users_reached"]),
        }
    )
    if project["security_audits"] or project["vulnerabilities_fixed"]:
        sentences.append(
            _("Security work: %(audits)s audits, %(fixed)s vulnerabilities fixed.")
            % {
                "audits": format_count(project["security_audits"]),
                "fixed": format_count(project["vulnerabilities_fixed"]),
            }
        )
    if bodies:
        sentences.append(
            _("Public bodies working with it: %(bodies)s.") % {"bodies": ", ".join(bodies)}
        )
    if project["follow_up"]:
        sentences.append(
            _("Follow-up funding: %(amount)s from %(funder)s.")
            % {
                "amount": euro(euros_from_cents(project["follow_up"])),
                "funder": project["funder"] or _("a funder not named"),
            }
        )
    return " ".join(sentences)
