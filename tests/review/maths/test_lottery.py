"""Lottery tickets: SHA-256 of seed and reference, checked against sha256sum."""

from review.maths.lottery import lottery_order, normalise_seed, seed_fits_source, ticket

SEED = "Lotto 2026-05-02: 3 14 22 31 40 45"


def test_ticket_is_sha256_of_seed_followed_by_reference():
    # printf '%s' 'Lotto 2026-05-02: 3 14 22 31 40 45CTF-2026-1-0001' | sha256sum
    assert ticket(SEED, "CTF-2026-1-0001") == (
        "f4795d803aabefbdbf8c5411c756e0379ca492fd5c1c6010afe57a2d0f7f1f2e"
    )


def test_lowest_ticket_first():
    order = lottery_order(SEED, ["CTF-2026-1-0001", "CTF-2026-1-0002", "CTF-2026-1-0003"])

    assert order == [
        ("CTF-2026-1-0003", "b1d898573d7f78fcfd7cc021e5b281f53f791ea27ef4a25cb1c2e23cac1fadb3"),
        ("CTF-2026-1-0002", "f0cc1eea58f478eb764bbcaf55d95860d1089e0cd65dab23218b9000cf41b347"),
        ("CTF-2026-1-0001", "f4795d803aabefbdbf8c5411c756e0379ca492fd5c1c6010afe57a2d0f7f1f2e"),
    ]


def test_another_seed_gives_another_order():
    references = [f"CTF-2026-1-{n:04d}" for n in range(1, 11)]

    assert lottery_order(SEED, references) != lottery_order(SEED + "!", references)


def test_seed_white_space_is_normalised():
    assert normalise_seed("  Lotto 2026-05-02:\t3  14 22 31 40 45\n") == SEED


def test_a_seed_fits_its_source_only_in_the_shape_that_source_publishes():
    drand_round = "ab" * 32

    assert seed_fits_source(drand_round, "drand") is True
    assert seed_fits_source(drand_round[:-2], "drand") is False
    assert seed_fits_source("c" * 128, "nist_beacon") is True
    assert seed_fits_source("4 8 15 16 23 42", "lottery_draw") is True
    assert seed_fits_source("no numbers", "lottery_draw") is False
    assert seed_fits_source("anything at all", "other") is True
    assert seed_fits_source("", "other") is False
    # A kind the fund does not know accepts nothing, whatever the seed.
    assert seed_fits_source(drand_round, "coin_toss") is False
