"""The Scrapy side of benchmarks/research_throughput.py: fetch a list of URLs with the given
politeness and count the email addresses a regex finds on each page.

    python benchmarks/scrapy_baseline.py URLS.json --proxy http://127.0.0.1:PORT [...]

The sandbox's host names do not resolve outside it, so every request (robots.txt included)
goes to the sandbox's web server as an HTTP proxy, which serves sites by host name. Prints one
JSON object: {"pages", "emails", "seconds"}. Needs Scrapy: `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time

import scrapy
from scrapy import signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import CrawlerProcess

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


class ProxiedPoolHandler(HTTP11DownloadHandler):
    """Twisted keeps connections alive per address, and here every request goes to one address
    (the proxy): keep as many alive as requests may be in flight, as direct connections to each
    host would (CONCURRENT_REQUESTS_PER_DOMAIN each), instead of reconnecting for most requests."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self._pool.maxPersistentPerHost = crawler.settings.getint("CONCURRENT_REQUESTS")


class PagesSpider(scrapy.Spider):
    name = "pages"

    def __init__(self, urls: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.pages = 0
        self.emails = 0
        self.started = 0.0
        self.seconds = 0.0

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.closed_, signal=signals.spider_closed)
        return spider

    def opened(self, spider) -> None:
        self.started = time.perf_counter()

    def closed_(self, spider) -> None:
        self.seconds = time.perf_counter() - self.started

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        self.pages += 1
        text = response.text if isinstance(response, scrapy.http.TextResponse) else ""
        self.emails += len(set(EMAIL.findall(text)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls")
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--max-bytes", type=int, default=2_000_000)
    parser.add_argument("--retries", type=int, default=2)
    args = parser.parse_args()
    with open(args.urls, encoding="utf-8") as handle:
        urls = json.load(handle)

    # Scrapy's HttpProxyMiddleware takes the proxy from the environment, for every request.
    os.environ["http_proxy"] = args.proxy
    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": "ERROR",
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": args.per_host,
            "DOWNLOAD_DELAY": args.delay,
            "RANDOMIZE_DOWNLOAD_DELAY": False,
            "DOWNLOAD_TIMEOUT": args.timeout,
            "DOWNLOAD_MAXSIZE": args.max_bytes,
            "RETRY_TIMES": args.retries,
            # What coldflow's fetcher retries (Scrapy's default list adds 500, 408, 522, 524).
            "RETRY_HTTP_CODES": [429, 502, 503, 504],
            "REDIRECT_MAX_TIMES": 5,
            "COOKIES_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "HTTPERROR_ALLOW_ALL": True,
            "USER_AGENT": "coldflow-benchmark (scrapy baseline)",
            "DOWNLOAD_HANDLERS": {"http": f"{__name__}.ProxiedPoolHandler"},
        }
    )
    crawler = process.create_crawler(PagesSpider)
    process.crawl(crawler, urls=urls)
    process.start()
    spider = crawler.spider
    print(json.dumps({"pages": spider.pages, "emails": spider.emails, "seconds": spider.seconds}))


if __name__ == "__main__":
    main()
