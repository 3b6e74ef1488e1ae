"""The one path from fetched pages to a stored, tagged article (`pipeline.ingest`), shared by the crawler and
`pantau ingest`; one-off fetching (`fetch`), an article's pages (`paging`) and the HTTP wording both use (`http`).

Imports only extract/ and store/. Importing this package loads nothing heavy: the tagger comes with `pipeline`."""
