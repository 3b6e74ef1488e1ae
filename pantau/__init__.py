"""Pantau: news monitoring for Indonesian election neutrality."""
__version__ = "0.1.0"
USER_AGENT = f"Pantau/{__version__} (+https://github.com/pantau-pemilu/pantau; election-neutrality news monitor)"
