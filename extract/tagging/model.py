"""What the tagger says about an article: plain dataclasses, the shape stored and printed as JSON."""
from __future__ import annotations

from dataclasses import dataclass, field

ROLE_CODES = ("KPPS", "PPS", "PPK", "KPU", "BAWASLU", "PANWAS", "DKPP", "ASN", "TNI", "POLRI", "KADES",
              "PJ_KEPALA_DAERAH")
CATEGORIES = ("campaign_participation", "party_attributes", "social_media", "state_facilities",
              "partisan_decision", "money_politics", "intimidation", "party_affiliation",
              "vote_manipulation", "other")
MODALITIES = ("alleged", "prohibition", "denied")
ARTICLE_TYPES = ("allegation", "sanction", "advisory", "other")


@dataclass
class Mention:
    label: str          # PER, ORG, LOC, or a role code
    text: str
    start: int          # character offsets in the article text
    end: int


@dataclass
class Official:
    name: str
    title: str


@dataclass
class Flag:
    category: str
    modality: str
    sentence: str
    start: int          # character offsets of the sentence in the article text
    end: int
    subject: str | None = None   # role code and/or person the breach is about


@dataclass
class Tags:
    relevant: bool = False
    article_type: str = "other"
    roles: list[str] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    accused: list[str] = field(default_factory=list)

    @property
    def breaches(self) -> list[str]:
        return sorted({f.category for f in self.flags if f.modality == "alleged"})

    @property
    def prohibitions(self) -> list[str]:
        alleged = set(self.breaches)
        return sorted({f.category for f in self.flags if f.modality == "prohibition"} - alleged)
