"""Never store identity numbers, home addresses or phone numbers that a page prints (UU PDP 27/2022).

Names and titles stay as the article prints them: they are what the news is about. Detection is lokal-id's
(MIT): NIK and KK numbers checked against their structure (region code, birth date), Indonesian phone
numbers, and street addresses pinned to a house (No., Blok, RT/RW). An office address without a house
number, a law's number or a count of people is not personal data and stays.
"""
from __future__ import annotations

import re

from lokal.samaran import detect_pii

REMOVED = "[dihapus]"
PERSONAL = ("NIK", "KK", "PHONE", "ADDRESS")
# Labelled identity numbers the checks above may not validate (a typo in the date part, masked digits).
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z\"“])")
_LEGAL = re.compile(r"\b(Pasal|Undang|UU|PP|Perpres|Permen\w*|PKPU|Perbawaslu|Peraturan|Tahun \d{4})\b")
_HOUSE_PIN = re.compile(r"\b(No|Nomor|Blok|Kav|Unit|Lantai|Kamar|RT|RW)\.?\s*[A-Za-z]?\d", re.I)
_LABELLED_ID = re.compile(r"\b(NIK|No\.?\s*KTP|nomor induk kependudukan|No\.?\s*KK)\s*[:.]?\s*(\d[\d .-]{14,20}\d)", re.I)


def find_personal_data(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each identity number, phone number and home address in `text`."""
    found = []
    for m in detect_pii(text, types=PERSONAL):
        end = m.end
        if m.type == "ADDRESS":
            end = _address_end(text, m.start, m.end)
            if end is None:
                continue
        found.append((m.start, end, m.type))
    for m in _LABELLED_ID.finditer(text):
        if sum(ch.isdigit() for ch in m.group(2)) >= 15:
            found.append((m.start(2), m.end(2), "NIK"))
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in found:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, kind))
    return merged


def _address_end(text: str, start: int, end: int) -> int | None:
    """Keep an address match inside its sentence and off legal references ("PP Nomor 94 Tahun 2021")."""
    value = text[start:end]
    cut = _SENTENCE_END.search(value)
    if cut:
        value = value[:cut.start() + 1]
    if _LEGAL.search(value) or not _HOUSE_PIN.search(value):
        return None
    return start + len(value.rstrip(" ,."))


def scrub(text: str) -> str:
    """`text` with every identity number, phone number and home address replaced by [dihapus].
    Idempotent: scrubbing scrubbed text changes nothing."""
    out, last = [], 0
    for start, end, _ in find_personal_data(text):
        out.append(text[last:start])
        out.append(REMOVED)
        last = end
    out.append(text[last:])
    return "".join(out)
