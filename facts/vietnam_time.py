"""Vietnam's time zone: UTC+07:00 all year.

A fixed offset rather than `ZoneInfo("Asia/Ho_Chi_Minh")`: Vietnam has kept +07:00 without
daylight saving since 1975, so both give the same times for every date the corpus holds,
and the fixed offset needs no tz database on the machine.
"""

from __future__ import annotations

from datetime import timedelta, timezone

VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")
