"""Applications, funded projects and money per track (grants.CallTrack), one table per call:
a call's tracks in their order, each with what was received, approved, funded, requested
and committed. Concept calls have no table: their concepts are counted per stage."""

import pandas as pd
from django.utils.translation import gettext as _

from reporting.report.context import Context
from reporting.report.labels import kind, label, value_of
from reporting.tables import Column, Table

TRACK_FIGURES = ("received", "approved", "funded", "requested", "committed")


def _track_ids(ctx: Context, call_id: int, counted) -> list[int]:
    """The call's tracks offered now and any removed one that still counts something, in
    the order the call lists them."""
    tracks = ctx.data.tracks
    ids = {pk for pk, track in tracks.items() if track.call_id == call_id and not track.removed}
    # Applications without a track are in no group (groupby leaves NaN keys out), and every
    # track is loaded (one with applications cannot be deleted).
    ids |= {int(pk) for pk in counted}
    return sorted(ids, key=lambda pk: (tracks[pk].position, pk))


def track_tables(ctx: Context, by_call_track: pd.DataFrame) -> list[Table]:
    """One table per call with applications or money in the selection: a row per track."""
    calls = by_call_track.index.get_level_values("call_id").unique()
    tables = []
    for call_id in ctx.ordered_calls(list(calls)):
        figures = by_call_track.xs(call_id, level="call_id")[list(TRACK_FIGURES)]
        if not figures.to_numpy().any():  # only milestones or payments in the period
            continue
        track_ids = _track_ids(ctx, call_id, figures.index)
        figures = figures.reindex(track_ids, fill_value=0)
        slug = ctx.data.calls[call_id].slug if call_id in ctx.data.calls else str(call_id)
        tables.append(
            Table(
                key=f"by_track_{slug}",
                title=_("%(call)s: applications and money by track")
                % {"call": ctx.call_name(call_id)},
                columns=[Column("track", _("Track"))]
                + [Column(name, label(name), kind(name)) for name in TRACK_FIGURES],
                rows=[
                    [ctx.data.tracks[pk].name(ctx.language)]
                    + [value_of(name, figures.loc[pk, name]) for name in TRACK_FIGURES]
                    for pk in track_ids
                ],
                empty_text=_("No data."),
            )
        )
    return tables
