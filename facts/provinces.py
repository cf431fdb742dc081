"""When Vietnam's merged provinces took effect.

Province names and boundaries changed on this date (63 provinces became 34, Resolution 202/2025/QH15): questions
about a merged province before it ask about its former provinces, and after it about the
new one.
"""

from __future__ import annotations

from datetime import date

MERGER_DATE = date(2025, 7, 1)
