"""The dashboard's display filters."""

from datetime import UTC, datetime

from petitions.templatetags.display import percent, when, words


def test_rates_show_as_percentages():
    assert [percent(0.6401), percent(1), percent(0), percent(0.12345, 2)] == [
        "64.0%", "100.0%", "0.0%", "12.35%",
    ]  # fmt: skip
    assert percent(None) == ""


def test_keys_show_as_words():
    assert words("supervisorial_district") == "Supervisorial district"
    assert (words("zip"), words("city")) == ("ZIP", "City")


def test_times_show_in_the_campaigns_time_zone(settings):
    assert settings.TIME_ZONE == "America/Los_Angeles"
    assert when("2026-11-23T05:19:34+00:00") == "Nov 22, 9:19 PM PST"
    assert when(datetime(2026, 7, 1, 19, 0, tzinfo=UTC)) == "Jul 1, 12:00 PM PDT"
    assert when("not a time") == "not a time"
