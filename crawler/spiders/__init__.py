"""Spiders of the Pantau Scrapy project (one: `news`, driven by the sources file)."""
