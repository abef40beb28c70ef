"""The one HTTP fetcher of coldflow (SSRF guard, politeness, robots.txt, limits)."""

from coldflow.research.fetch.fetcher import Fetcher
from coldflow.research.fetch.result import FetchResult
from coldflow.research.fetch.robots import RobotsRules
from coldflow.research.fetch.settings import FetchSettings

__all__ = ["FetchResult", "FetchSettings", "Fetcher", "RobotsRules"]
