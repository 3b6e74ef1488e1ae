"""The tagger: a spaCy pipeline (NER + domain components) that turns article text into Tags."""
from __future__ import annotations

from extract.tagging.model import Flag, Mention, Official, Tags
from extract.tagging.pipeline import TAGGER_VERSION, Tagger, get_tagger

__all__ = ["Flag", "Mention", "Official", "Tags", "Tagger", "get_tagger", "TAGGER_VERSION"]
