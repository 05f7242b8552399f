"""Hybrid logical clock stamps: what sync's per-field merge relies on."""

from __future__ import annotations

import threading

import pytest

from models.hlc import HybridClock, format_stamp, parse_stamp


class FakeWall:
    """A wall clock the test moves by hand (seconds, like time.time)."""

    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_format_and_parse_round_trip() -> None:
    stamp = format_stamp(1_800_000_000_123, 7, "a1b2c3")
    assert stamp == "1800000000123-00007-a1b2c3"
    assert parse_stamp(stamp) == (1_800_000_000_123, 7, "a1b2c3")


def test_stamps_strictly_increase_when_the_wall_clock_stands_still() -> None:
    wall = FakeWall()
    clock = HybridClock("node1", wall)
    stamps = [clock.now() for _ in range(50)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


def test_stamps_never_go_back_when_the_wall_clock_does() -> None:
    wall = FakeWall()
    clock = HybridClock("node1", wall)
    first = clock.now()
    wall.t -= 3600  # the laptop's clock is corrected an hour back
    later = clock.now()
    assert later > first
    assert parse_stamp(later)[0] == parse_stamp(first)[0]


def test_a_later_wall_time_resets_the_counter() -> None:
    wall = FakeWall()
    clock = HybridClock("n", wall)
    clock.now()
    clock.now()
    wall.t += 1
    ms, counter, _ = parse_stamp(clock.now())
    assert (ms, counter) == (int(wall.t * 1000), 0)


def test_observe_moves_the_clock_past_a_remote_stamp() -> None:
    wall = FakeWall()
    clock = HybridClock("local", wall)
    before = clock.now()
    remote = format_stamp(int(wall.t * 1000) + 60_000, 3, "remote")  # a device a minute ahead
    clock.observe(remote)
    after = clock.now()
    assert before < remote < after
    assert parse_stamp(after)[:2] == (int(wall.t * 1000) + 60_000, 4)


def test_observing_an_older_stamp_changes_nothing() -> None:
    wall = FakeWall()
    clock = HybridClock("local", wall)
    current = clock.now()
    clock.observe(format_stamp(int(wall.t * 1000) - 5000, 99, "old"))
    nxt = clock.now()
    assert parse_stamp(nxt)[:2] == (parse_stamp(current)[0], parse_stamp(current)[1] + 1)


def test_string_order_is_time_order_across_digit_boundaries() -> None:
    # Fixed-width fields: a counter of 10 sorts after 9, a later ms after any counter.
    a = format_stamp(999, 9, "z")
    b = format_stamp(999, 10, "a")
    c = format_stamp(1000, 0, "a")
    assert sorted([c, b, a]) == [a, b, c]


def test_same_time_and_counter_on_two_nodes_tie_break_by_node() -> None:
    a = format_stamp(5, 0, "aaaa")
    b = format_stamp(5, 0, "bbbb")
    assert a != b
    assert sorted([b, a]) == [a, b]


def test_counter_overflow_borrows_a_millisecond() -> None:
    wall = FakeWall()
    clock = HybridClock("n", wall)
    base = int(wall.t * 1000)
    clock.observe(format_stamp(base, 99_999, "x"))
    stamp = clock.now()
    assert parse_stamp(stamp)[:2] == (base + 1, 0)


@pytest.mark.parametrize("node", ["", "has-dash"])
def test_node_ids_that_would_break_parsing_are_refused(node: str) -> None:
    with pytest.raises(ValueError):
        HybridClock(node)


def test_stamps_are_unique_across_threads() -> None:
    clock = HybridClock("n", FakeWall())
    out: list[list[str]] = [[] for _ in range(4)]

    def work(i: int) -> None:
        out[i].extend(clock.now() for _ in range(500))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [s for chunk in out for s in chunk]
    assert len(set(every)) == len(every) == 2000
    for chunk in out:
        assert chunk == sorted(chunk)


def test_a_stamp_far_in_the_future_is_refused_and_moves_nothing() -> None:
    from models.hlc import MAX_DRIFT_MS, ClockSkew

    wall = FakeWall()
    clock = HybridClock("local", wall)
    before = clock.now()
    wrong = format_stamp(int(wall.t * 1000) + MAX_DRIFT_MS + 86_400_000, 0, "wrongclock")
    with pytest.raises(ClockSkew, match="clock is wrong"):
        clock.observe(wrong)
    after = clock.now()
    assert parse_stamp(after)[0] == parse_stamp(before)[0]  # not dragged a day forward
    assert after < wrong


def test_the_devices_own_high_water_mark_is_resumed_however_far_ahead() -> None:
    wall = FakeWall()
    clock = HybridClock("local", wall)
    saved = format_stamp(int(wall.t * 1000) + 86_400_000, 4, "local")  # clock since set back
    clock.resume_from(saved)
    assert clock.now() > saved


def test_is_stamp_accepts_only_well_formed_stamps() -> None:
    from models.hlc import is_stamp

    assert is_stamp(format_stamp(1_800_000_000_000, 3, "a1b2c3"))
    for bad in (
        "",
        "1-2-3",
        "x" * 80,
        None,
        5,
        "1800000000000-00003-",
        "1800000000000-0003-ab",
        "1800000000000-00003-a b",
        "18000000000x0-00003-ab",
    ):
        assert not is_stamp(bad)
