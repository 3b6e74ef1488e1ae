"""The tagger: a spaCy pipeline (NER + domain components) that turns article text into Tags.

`extract.tagging.model` (the shapes and vocabularies of tags) is plain Python; spaCy is loaded only when
`Tagger`, `get_tagger` or `TAGGER_VERSION` is first used."""
from __future__ import annotations

from extract.tagging.model import Flag, Mention, Official, Tags

__all__ = ["Flag", "Mention", "Official", "Tags", "Tagger", "get_tagger", "TAGGER_VERSION"]
_PIPELINE = ("Tagger", "get_tagger", "TAGGER_VERSION")


def __getattr__(name: str):
    if name in _PIPELINE:
        from extract.tagging import pipeline
        return getattr(pipeline, name)
    raise AttributeError(f"module 'extract.tagging' has no attribute {name!r}")
