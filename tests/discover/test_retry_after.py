from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from coldflow.discover.providers.transport import retry_after_seconds


def test_it_reads_seconds() -> None:
    assert retry_after_seconds("120") == 120


def test_it_reads_an_http_date() -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(minutes=10), usegmt=True)

    assert 590 <= retry_after_seconds(later) <= 600


def test_a_date_in_the_past_means_now() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0


def test_it_ignores_what_it_cannot_read() -> None:
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("") is None


def test_an_absurd_wait_is_capped_at_a_year() -> None:
    assert retry_after_seconds("99999999999") == 365 * 24 * 3600
