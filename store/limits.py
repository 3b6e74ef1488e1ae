"""Bounds every layer checks values against before they reach SQL."""

# Ids are INTEGER columns: 2^31 - 1 on PostgreSQL (SQLite's 2^63 - 1 is larger). Row counts, offsets and ids given
# on the command line are capped here, so an out-of-range number is one clear line instead of a driver overflow.
MAX_ID = 2**31 - 1
MAX_NAME_CHARS = 200     # a reviewer's name (--by) and other short free-text labels
