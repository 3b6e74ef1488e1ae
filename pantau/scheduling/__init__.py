"""The scheduler's parts: jobs from the sources file (jobs), crawls in child processes (launcher), run
history and liveness in the store (history), log formats (logs). The daemon itself is scheduler.py."""
