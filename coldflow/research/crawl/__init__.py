"""The focused crawl: a few well-chosen pages per company site."""

from coldflow.research.crawl.many_sites import crawl_many
from coldflow.research.crawl.page_kinds import PageKind
from coldflow.research.crawl.site_crawl import CrawledPage, PageError, SiteCrawl, crawl_site

__all__ = ["CrawledPage", "PageError", "PageKind", "SiteCrawl", "crawl_many", "crawl_site"]
