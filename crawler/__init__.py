"""Pantau's crawler: a Scrapy project driven by the sources file (crawler/sources.toml, docs/sources.md).

`python -m crawler.run --db URL SOURCE...` crawls in a child process (the scheduler's entry point);
`scrapy crawl news -a source=NAME` works too; lab.simulator serves local outlets for tests and the demo."""
