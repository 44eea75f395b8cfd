"""The tracks every new call starts with (grants.services.tracks adds them; the migration
that made tracks rows of the call has its own frozen copy). Staff rename, change, reorder
or remove them before the first submission. The amounts are the fund's usual caps."""

from decimal import Decimal

from grants.states import TrackKind

DEFAULT_TRACKS = (
    {
        "key": "individual_6",
        "name_de": "Einzelperson, 6 Monate",
        "name_en": "Individual, 6 months",
        "kind": TrackKind.INDIVIDUAL,
        "months": 6,
        "cap": Decimal("47500.00"),
    },
    {
        "key": "individual_10",
        "name_de": "Einzelperson, 10 Monate",
        "name_en": "Individual, 10 months",
        "kind": TrackKind.INDIVIDUAL,
        "months": 10,
        "cap": Decimal("79167.00"),
    },
    {
        "key": "team_6",
        "name_de": "Team, 6 Monate",
        "name_en": "Team, 6 months",
        "kind": TrackKind.TEAM,
        "months": 6,
        "cap": Decimal("95000.00"),
    },
    {
        "key": "team_10",
        "name_de": "Team, 10 Monate",
        "name_en": "Team, 10 months",
        "kind": TrackKind.TEAM,
        "months": 10,
        "cap": Decimal("158000.00"),
    },
)
