"""The review desk: a browser front end and a JSON API over the store (FastAPI, Jinja2, htmx).

Above store/ (it reads and writes through it), below scheduling/ (the daemon sends its digests). Nothing
here loads a model: the desk starts without spaCy, trafilatura or Scrapy."""
