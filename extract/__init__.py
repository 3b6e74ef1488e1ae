"""Turn fetched news pages into clean, tagged articles. Knows nothing of Scrapy or databases."""
