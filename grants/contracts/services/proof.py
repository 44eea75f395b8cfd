"""The proof of use (Verwendungsnachweis) beside the final report: the grantee writes the
numerical statement with the final report (saved with it, handed in with it); staff check
it line by line (accept, or query a line with a comment that the grantee answers); when
staff accept the final report, every line must be accepted, and the proof of use is
archived as a PDF with its SHA-256 and the figures as accepted."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import may
from core.errors import WorkflowError
from core.formats import euro
from core.pdf import render_template_pdf
from core.storage import store_generated_file
from grants import events
from grants.contracts.models.proof import AMOUNT_MAX, HOURS_MAX, LINES_MAX
from grants.contracts.statement import Statement, build_statement
from grants.models import FinalReport, ProofOfUse, StatementLine
from grants.services.attachments import check_file_count, store_upload
from grants.states import BudgetCategory, StatementLineKind, StatementLineState
from workflow.audit import log_event
from workflow.notifications import notify
from workflow.transitions import fire_transition

TEXT_LIMIT = 10_000
PROOF_FOLDER = "proofs-of-use"


def proof_of(report: FinalReport) -> ProofOfUse:
    return ProofOfUse.objects.get_or_create(final_report=report)[0]


def statement_of(proof: ProofOfUse, lines=None) -> Statement:
    """The statement's numbers against the plan of the grant's proposal."""
    grant = proof.final_report.grant
    application = grant.application
    return build_statement(
        budget=application.budget(),
        overhead_percent=application.call.overhead_percent,
        award=grant.amount,
        lines=proof.lines.all() if lines is None else lines,
        own_contribution=proof.own_contribution,
        reasons=proof.variance_reasons,
        tolerance_percent=settings.PROOF_OF_USE_TOLERANCE_PERCENT,
    )


def _decimal(value) -> Decimal | None:
    """``value`` to cents, or None for anything that is not a finite number ("NaN" and
    "Infinity" parse, but comparing them raises)."""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _amount(value, *, allow_zero=False) -> Decimal | None:
    amount = _decimal(value)
    low = Decimal(0) if allow_zero else Decimal("0.01")
    return amount if amount is not None and low <= amount <= AMOUNT_MAX else None


def _text(value, limit) -> str | None:
    text = str(value or "").strip()
    return text if len(text) <= limit else None


def _clean_person(item, number, errors) -> StatementLine | None:
    name, role = _text(item.get("name"), 200), _text(item.get("role"), 200)
    amount = _amount(item.get("amount"), allow_zero=True)
    hours = _decimal(item.get("hours"))
    if not name or role is None or amount is None or hours is None or not 0 < hours <= HOURS_MAX:
        errors.setdefault("persons", []).append(
            _(
                "Person %(number)s needs a name, hours between 0 and %(hours)s and costs between 0 and %(max)s."
            )
            % {"number": number, "hours": HOURS_MAX, "max": euro(AMOUNT_MAX)}
        )
        return None
    return StatementLine(
        kind=StatementLineKind.PERSON, name=name, role=role, hours=hours, amount=amount
    )


def _clean_receipt(item, number, errors, *, starts_on, ends_on) -> StatementLine | None:
    payee, purpose = _text(item.get("payee"), 200), _text(item.get("purpose"), 500)
    amount, paid_on = _amount(item.get("amount")), item.get("paid_on")
    if not isinstance(paid_on, dt.date) or not starts_on <= paid_on <= ends_on:
        errors.setdefault("receipts", []).append(
            _("Receipt %(number)s must be dated within the funding period (%(start)s – %(end)s).")
            % {"number": number, "start": starts_on, "end": ends_on}
        )
        return None
    if not payee or not purpose or amount is None:
        errors.setdefault("receipts", []).append(
            _("Receipt %(number)s needs a payee, a purpose and an amount between 0.01 and %(max)s.")
            % {"number": number, "max": euro(AMOUNT_MAX)}
        )
        return None
    return StatementLine(
        kind=StatementLineKind.RECEIPT, paid_on=paid_on, payee=payee, purpose=purpose, amount=amount
    )


def write_statement(
    *,
    report: FinalReport,
    persons: list[dict],
    receipts: list[dict],
    own_contribution,
    reasons: dict,
) -> ProofOfUse:
    """Replace the statement of a final report being written (inside the caller's
    transaction, which has locked the report and checked the permission). Refuses
    out-of-range input with field errors and changes nothing then."""
    grant = report.grant
    errors: dict[str, list] = {}
    if len(persons) > LINES_MAX or len(receipts) > LINES_MAX:
        errors["persons"] = [_("At most %(count)s lines.") % {"count": LINES_MAX}]
    lines = [_clean_person(item, n, errors) for n, item in enumerate(persons, start=1)]
    lines += [
        _clean_receipt(item, n, errors, starts_on=grant.starts_on, ends_on=grant.ends_on)
        for n, item in enumerate(receipts, start=1)
    ]
    contribution = _amount(own_contribution if own_contribution is not None else 0, allow_zero=True)
    if contribution is None:
        errors["own_contribution"] = [
            _("Enter an amount between 0 and %(max)s.") % {"max": euro(AMOUNT_MAX)}
        ]
    cleaned_reasons = {}
    for category in BudgetCategory.values:
        reason = _text(reasons.get(category), TEXT_LIMIT)
        if reason is None:
            errors[f"reason_{category}"] = [
                _("At most %(count)s characters.") % {"count": TEXT_LIMIT}
            ]
        elif reason:
            cleaned_reasons[category] = reason
    if errors:
        raise WorkflowError(
            _("The final report was not saved: please correct the marked fields."),
            field_errors=errors,
        )
    proof = proof_of(report)
    proof.lines.all().delete()  # a statement being written: its lines were never checked
    positions = {StatementLineKind.PERSON: 0, StatementLineKind.RECEIPT: 0}
    for line in lines:
        positions[line.kind] += 1
        line.proof, line.position = proof, positions[line.kind]
    StatementLine.objects.bulk_create(lines)
    proof.own_contribution = contribution
    proof.variance_reasons = cleaned_reasons
    proof.save()
    return proof


def statement_gaps(report: FinalReport) -> dict:
    """Field errors that keep a statement from being handed in (empty if complete)."""
    proof = ProofOfUse.objects.filter(final_report=report).first()
    if proof is None or not proof.lines.filter(kind=StatementLineKind.PERSON).exists():
        return {"persons": [_("Give the actual hours and costs of at least one person.")]}
    statement = statement_of(proof)
    return {
        f"reason_{category}": [
            _("The difference from the plan is over %(percent)s %%: please give the reason.")
            % {"percent": settings.PROOF_OF_USE_TOLERANCE_PERCENT}
        ]
        for category in statement.reasons_missing
    }


def _locked_line(line) -> StatementLine:
    FinalReport.objects.select_for_update().filter(pk=line.proof.final_report_id).first()
    return StatementLine.objects.select_related(
        "proof__final_report__grant__application__owner"
    ).get(pk=line.pk)


def check_statement_line(
    *, line: StatementLine, actor, accept: bool, comment: str, expected_state: str
) -> StatementLine:
    """Staff accept a line, or query it with a comment the grantee answers."""
    comment = (comment or "").strip()
    if not accept and not comment:
        raise WorkflowError(
            _("Say what is unclear about this line."),
            field_errors={"comment": [_("This field is required.")]},
        )
    if len(comment) > TEXT_LIMIT:
        raise WorkflowError(
            _("The comment is too long."),
            field_errors={"comment": [_("At most %(count)s characters.") % {"count": TEXT_LIMIT}]},
        )
    with transaction.atomic():
        current = _locked_line(line)
        fire_transition(
            subject=current,
            transition_name="accept" if accept else "ask",
            actor=actor,
            expected_state=expected_state,
            note=comment,
        )
        current.checked_by = actor
        if not accept:
            current.query, current.answer = comment, ""
        current.save(update_fields=["checked_by", "query", "answer"])
        if not accept:
            grant = current.proof.final_report.grant
            notify(
                to=grant.application.owner,
                template="grant_notice",
                context={"kind": "proof_queried", "grant": grant, "note": comment},
            )
    return current


def answer_statement_query(
    *, line: StatementLine, actor, answer: str, expected_state: str
) -> StatementLine:
    answer = (answer or "").strip()
    if not answer or len(answer) > TEXT_LIMIT:
        raise WorkflowError(
            _("Please answer the question."),
            field_errors={
                "answer": [_("Between 1 and %(count)s characters.") % {"count": TEXT_LIMIT}]
            },
        )
    with transaction.atomic():
        current = _locked_line(line)
        fire_transition(
            subject=current,
            transition_name="reply",
            actor=actor,
            expected_state=expected_state,
            note=answer,
        )
        current.answer = answer
        current.save(update_fields=["answer"])
    return current


def unchecked_lines(report: FinalReport) -> int:
    return (
        StatementLine.objects.filter(proof__final_report=report)
        .exclude(state=StatementLineState.ACCEPTED)
        .count()
    )


def archive_proof_of_use(*, report: FinalReport, actor) -> ProofOfUse:
    """At the final report's acceptance (inside its transaction): the accepted figures and
    the proof of use as a tagged PDF in the active language, stored with its SHA-256."""
    proof = proof_of(report)
    statement = statement_of(proof)
    language = (translation.get_language() or "de")[:2]
    proof.accepted_at = timezone.now()
    proof.accepted_by = actor
    proof.accepted_total = statement.actual_total
    proof.accepted_grant_spent = statement.grant_spent
    rendered = render_template_pdf(
        "grants/pdf/proof_of_use.html",
        {
            "report": report,
            "grant": report.grant,
            "application": report.grant.application,
            "proof": proof,
            "statement": statement,
            "tolerance": settings.PROOF_OF_USE_TOLERANCE_PERCENT,
        },
        language=language,
    )
    stored = store_generated_file(rendered.content, folder=PROOF_FOLDER, suffix=".pdf")
    proof.stored_name, proof.sha256, proof.size = stored.stored_name, stored.sha256, stored.size
    proof.language = language
    proof.save()
    log_event(
        subject=report,
        action=events.PROOF_OF_USE_ARCHIVED,
        actor=actor,
        from_state=report.state,
        to_state=report.state,
        data={"sha256": proof.sha256, "total": statement.actual_total},
        visible_to_applicant=True,
    )
    return proof


_PROOF_FULL = gettext_lazy("A proof of use may have at most %(count)s files. Remove one first.")


def add_receipt_file(*, report: FinalReport, actor, uploaded_file):
    """A receipt's file for the statement being written, through the one upload service
    (the same checks, quota and upload limit as every file)."""

    def place():
        current = (
            FinalReport.objects.select_for_update()
            .select_related("grant__application")
            .get(pk=report.pk)
        )
        if not may(actor, "grants.write_final_report", current):
            raise WorkflowError(_("The final report cannot be changed now."))
        proof = proof_of(current)
        check_file_count(proof.receipt_files, message=_PROOF_FULL)
        return {"application": current.grant.application, "proof_of_use": proof}

    return store_upload(actor=actor, uploaded_file=uploaded_file, place=place)
