"""Build the tagging pipeline once per process and tag article texts with it.

The pipeline is plain spaCy: the tokenizer of the project's NER model (or spacy.blank("id") with the same
abbreviation rules when the model is missing), then the registered components named in config.cfg:

    pantau_sentences  pantau_roles  pantau_persons  pantau_officials  pantau_breaches  pantau_article

`Tagger.nlp` is that Language: `nlp.pipe(texts)` gives docs whose `doc._.pantau_tags` is the result.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from importlib import resources

import spacy
from spacy.language import Language
from spacy.util import load_config_from_str

# importing the modules registers the component factories
from extract.tagging import breaches, modality, officials, persons, roles, sentences, verdict  # noqa: F401
from extract.tagging.model import Tags

RULES_VERSION = "3.11"
LEARNED_FILES = ("modality.npz", "article_type.npz")     # extract/tagging/models, by lab.train_tagger
log = logging.getLogger(__name__)
_lock = threading.Lock()
_tagger: "Tagger | None" = None


def _config():
    return load_config_from_str(resources.files("extract.tagging").joinpath("config.cfg").read_text("utf-8"))


def _base_pipeline(use_ner: bool) -> tuple[Language, object | None, str]:
    """The tokenizer to build on, the NER pipe if the model is there, and a name for what was loaded."""
    if use_ner:
        try:
            from extract.ner import NerModelMissing, load_ner
            try:
                nlp = load_ner()
                _, ner = nlp.remove_pipe("ner")
                for other in list(nlp.pipe_names):
                    nlp.remove_pipe(other)
                return _cached(nlp), ner, _model_name()
            except NerModelMissing as exc:
                log.warning("tagging without NER: %s", exc)
        except ImportError:
            log.warning("tagging without NER: extract.ner is not installed")
    nlp = spacy.blank("id")
    try:
        from extract.ner.tokenizer import add_abbreviations
        add_abbreviations(nlp)
    except ImportError:
        pass
    return _cached(nlp), None, "no-ner"


def _cached(nlp: Language) -> Language:
    """The same tokens, each distinct word tokenized once (extract.ner.tokenizer.CachedTokenizer)."""
    try:
        from extract.ner.tokenizer import CachedTokenizer
    except ImportError:
        return nlp
    nlp.tokenizer = CachedTokenizer(nlp.tokenizer)
    return nlp


def _tagger_version(model: str) -> str:
    return f"rules-{RULES_VERSION}+learned-{_learned_digest()}+{model}"


def _learned_digest() -> str:
    """A digest of the shipped learned models: retraining gives a new tagger version (`pantau retag`)."""
    digest = hashlib.sha1()
    models = resources.files("extract.tagging").joinpath("models")
    for name in LEARNED_FILES:
        try:
            digest.update(models.joinpath(name).read_bytes())
        except FileNotFoundError:
            digest.update(b"missing:" + name.encode())
    return digest.hexdigest()[:8]


class Tagger:
    """The spaCy pipeline plus the two calls the rest of Pantau uses."""

    def __init__(self, use_ner: bool | None = None) -> None:
        cfg = _config()
        use_ner = cfg["model"]["use_ner"] if use_ner is None else use_ner
        self.nlp, ner, self.model = _base_pipeline(use_ner)
        for name in cfg["nlp"]["pipeline"]:
            self.nlp.add_pipe(name, config=dict(cfg["components"].get(name, {})))
        if ner is not None:
            self.nlp.get_pipe("pantau_persons").ner = ner
        self.batch_size = cfg["nlp"]["batch_size"]
        self.version = _tagger_version(self.model)

    def tag(self, text: str) -> Tags:
        return self.tag_many([text])[0]

    def tag_many(self, texts: list[str]) -> list[Tags]:
        return [doc._.pantau_tags for doc in self.nlp.pipe(texts, batch_size=self.batch_size)]


def get_tagger() -> Tagger:
    """The process-wide tagger (building the pipeline takes seconds: do it once)."""
    global _tagger
    with _lock:
        if _tagger is None:
            _tagger = Tagger()
        return _tagger


def _model_name() -> str:
    """The shipped NER model's name, version and a digest of its meta.json (changes with every training)."""
    from extract.ner import MODEL_DIR
    raw = (MODEL_DIR / "meta.json").read_bytes()
    meta = json.loads(raw)
    return f"{meta.get('name', 'ner')}-{meta.get('version', '0')}-{hashlib.sha1(raw).hexdigest()[:8]}"


def _expected_version() -> str:
    """TAGGER_VERSION without building the pipeline: which model get_tagger() will load."""
    if _config()["model"]["use_ner"]:
        try:
            return _tagger_version(_model_name())
        except (ImportError, OSError, ValueError):
            pass
    return _tagger_version("no-ner")


TAGGER_VERSION = _expected_version()
