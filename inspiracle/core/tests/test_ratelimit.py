"""The one rate limiter (issue 10): exactly the limit passes, however many tries arrive at once."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from inspiracle.core import ratelimit
from inspiracle.core.errors import Throttled
from inspiracle.core.http import Origin, current_origin
from inspiracle.core.models import RateCounter
from inspiracle.core.ratelimit import Limit
from inspiracle.core.testing import fire_parallel

TEN_AN_HOUR = Limit(scope="test.ten", hits=10, window=3600, refusal=lambda wait: f"wait {wait}")
SLOWED = Limit(
    scope="test.slowed",
    hits=8,
    window=900,
    lockout=900,
    slowdown_after=3,
    refusal=lambda wait: f"wait {wait}",
)


@pytest.mark.django_db(transaction=True)
def test_exactly_the_limit_passes_when_forty_tries_arrive_at_once():
    with time_machine.travel(timezone.now(), tick=False):
        outcomes = fire_parallel(lambda n: ratelimit.hit((TEN_AN_HOUR, "subject")))
    assert outcomes.count("passed") == 10 and outcomes.count("throttled") == 30


@pytest.mark.django_db(transaction=True)
def test_the_slow_down_lets_exactly_its_free_tries_through_at_once():
    with time_machine.travel(timezone.now(), tick=False):
        outcomes = fire_parallel(lambda n: ratelimit.hit((SLOWED, "subject")))
    assert outcomes.count("passed") == 3


@pytest.mark.django_db(transaction=True)
def test_two_limits_counted_together_count_both_or_neither_under_parallel_tries():
    per_address = Limit(scope="test.address", hits=5, window=3600, refusal=str)
    per_network = Limit(scope="test.network", hits=20, window=3600, refusal=str)
    with time_machine.travel(timezone.now(), tick=False):
        outcomes = fire_parallel(
            lambda n: ratelimit.hit((per_address, f"address{n % 8}"), (per_network, "network"))
        )
    assert outcomes.count("passed") == 20
    counted = dict(RateCounter.objects.values_list("key", "hits").filter(scope="test.address"))
    assert sum(counted.values()) == 20 and max(counted.values()) <= 5


@pytest.mark.django_db
def test_a_refusal_says_how_long_to_wait_and_the_window_then_starts_again():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _n in range(10):
            ratelimit.hit((TEN_AN_HOUR, "subject"))
        clock.shift(600)
        with pytest.raises(Throttled) as refused:
            ratelimit.hit((TEN_AN_HOUR, "subject"))
        assert refused.value.retry_after == 3000 and refused.value.message == "wait 3000"
        clock.shift(3000)
        ratelimit.hit((TEN_AN_HOUR, "subject"))
    row = RateCounter.objects.get(scope="test.ten")
    assert row.hits == 1 and row.expires_at == start + timedelta(seconds=3600 + 3600)


@pytest.mark.django_db
def test_the_slow_down_doubles_each_wait_and_the_lockout_lasts_its_time():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        waits = []
        for _n in range(8):
            try:
                ratelimit.hit((SLOWED, "subject"))
            except Throttled as exc:
                waits.append(exc.retry_after)
                clock.shift(exc.retry_after)
                ratelimit.hit((SLOWED, "subject"))
        with pytest.raises(Throttled) as locked:
            ratelimit.hit((SLOWED, "subject"))
    assert waits == [1, 2, 4, 8, 16] and locked.value.retry_after == 900


@pytest.mark.django_db
def test_released_tries_and_cleared_subjects_count_no_more():
    for _n in range(9):
        ratelimit.hit((TEN_AN_HOUR, "subject"))
    ratelimit.release(TEN_AN_HOUR, "subject")
    ratelimit.hit((TEN_AN_HOUR, "subject"))
    ratelimit.check(TEN_AN_HOUR, "subject")  # 9 counted
    ratelimit.hit((TEN_AN_HOUR, "subject"))
    with pytest.raises(Throttled):
        ratelimit.check(TEN_AN_HOUR, "subject")
    assert ratelimit.clear(TEN_AN_HOUR.scope, "subject") == 1
    ratelimit.check(TEN_AN_HOUR, "subject")


def test_subjects_are_keyed_hashes_and_an_ipv6_network_is_its_64_prefix(settings):
    key = ratelimit.key("email:ana@example.com", "net:203.0.113.7")
    assert (
        "ana" not in key and "203" not in key and key.startswith(ratelimit.key("email:ana@example.com") + ".")
    )
    networks = []
    for ip in ("2001:db8:1:2:aaaa::1", "2001:db8:1:2:bbbb::9", "::ffff:203.0.113.7", "203.0.113.7", ""):
        token = current_origin.set(Origin(ip=ip))
        networks.append(ratelimit.network())
        current_origin.reset(token)
    assert networks == [
        "net:2001:db8:1:2::/64",
        "net:2001:db8:1:2::/64",
        "net:203.0.113.7",
        "net:203.0.113.7",
        "",
    ]


@pytest.mark.django_db
def test_a_released_try_lifts_the_slow_down_its_own_count_imposed():
    """REQ: REG-4 — two wrong passwords and then the right one left a slow-down standing."""
    with time_machine.travel(timezone.now(), tick=False):
        ratelimit.hit((SLOWED, "subject"))
        ratelimit.hit((SLOWED, "subject"))
        ratelimit.hit((SLOWED, "subject"))  # the third try reaches the slow-down ...
        ratelimit.release(SLOWED, "subject")  # ... and was right
        ratelimit.check(SLOWED, "subject")
        ratelimit.hit((SLOWED, "subject"))  # two wrong ones before it: this one slows down again
        with pytest.raises(Throttled):
            ratelimit.check(SLOWED, "subject")
