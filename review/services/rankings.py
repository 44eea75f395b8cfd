"""The ranking's figures, computed once per version of their input and stored in the
database, where every web process finds them (review.models.StoredRanking).

A page first asks for the input's version (one query over the counted reviews' ids and
versions) and reads the figures stored for exactly that version; only if there are none
does it load the scores, compute and store. The version of what was computed is taken
from the very rows the computation read, so a review that changes meanwhile cannot be
stored under the older version: no page ever shows figures of another input."""

from django.db.models.fields.json import KeyTransform

from review import queries
from review.models import StoredRanking
from review.ranking import input_version, model_figures, row_key, score_frame

# Versions kept per call and basis (staff who are also jurors may see another set of
# applications, hence another input, than their colleagues).
KEEP = 4


def _stored(call, basis, criteria, viewer):
    version = input_version(basis, criteria, queries.ranking_input(call, viewer))
    return StoredRanking.objects.filter(call=call, basis=basis, input_version=version)


def current_figures(call, viewer, *, basis: str, criteria: list) -> dict:
    """The figures of the call's current input as ``viewer`` sees it. Two queries when
    they are stored."""
    figures = _stored(call, basis, criteria, viewer).values_list("figures", flat=True).first()
    if figures is None:
        figures = compute_figures(call, viewer, basis=basis, criteria=criteria)
    return figures


def current_row(call, viewer, application_id: int, *, basis: str, criteria: list) -> dict | None:
    """One application's figures (only its part of the stored JSON is read), or None when
    it has no counted review. Two queries when the figures are stored."""
    found = list(
        _stored(call, basis, criteria, viewer)
        .annotate(
            row=KeyTransform(row_key(application_id), KeyTransform("applications", "figures"))
        )
        .values_list("row", flat=True)
    )
    if found:
        return found[0]
    figures = compute_figures(call, viewer, basis=basis, criteria=criteria)
    return figures["applications"].get(row_key(application_id))


def compute_figures(call, viewer, *, basis: str, criteria: list) -> dict:
    """Load the scores, compute the model and store its figures under the version of the
    rows just read. Concurrent computations of the same version store it once."""
    rows = list(queries.ranking_scores(call, viewer))
    version = input_version(basis, criteria, {(row[0], row[5]) for row in rows})
    figures = model_figures(score_frame(rows), criteria, basis=basis)
    StoredRanking.objects.bulk_create(
        [StoredRanking(call=call, basis=basis, input_version=version, figures=figures)],
        ignore_conflicts=True,
    )
    kept = StoredRanking.objects.filter(call=call, basis=basis).order_by("-computed_at", "-pk")
    oldest_kept = kept.values_list("computed_at", flat=True)[KEEP - 1 : KEEP].first()
    if oldest_kept is not None:
        kept.filter(computed_at__lt=oldest_kept).delete()
    return figures
