"""Never store identity numbers, home addresses or phone numbers that a page prints (UU PDP 27/2022).

Names and titles stay as the article prints them: they are what the news is about. Detection is lokal-id's
(MIT): NIK and KK numbers checked against their structure (region code, birth date), Indonesian phone
numbers, and street addresses pinned to a house (No., Blok, RT/RW). An office address without a house
number, a law's number or a count of people is not personal data and stays.
"""
from __future__ import annotations

import re

from lokal.samaran import PiiMatch, detect_pii
from lokal.samaran import detectors as _lokal

REMOVED = "[dihapus]"
PERSONAL = ("NIK", "KK", "PHONE", "ADDRESS")
# Labelled identity numbers the checks above may not validate (a typo in the date part, masked digits).
# A sentence ends at . ! ? before a capital, but not after the abbreviations addresses use ("Jl. Merdeka No.5").
_ADDRESS_ABBREVIATIONS = ("Jl", "Jln", "Gg", "No", "Kav", "Komp", "Perum", "Kel", "Kec", "Ds", "Dsn", "Kab", "Prov")
_SENTENCE_END = re.compile("".join(rf"(?<!\b{a})" for a in _ADDRESS_ABBREVIATIONS) + r"[.!?]\s+(?=[A-Z\"“])")
_LEGAL = re.compile(r"\b(Pasal|Undang|UU|PP|Perpres|Permen\w*|PKPU|Perbawaslu|Peraturan|Tahun \d{4})\b")
_HOUSE_PIN = re.compile(r"\b(No|Nomor|Blok|Kav|Unit|Lantai|Kamar|RT|RW)\.?\s*[A-Za-z]?\d", re.I)
_LABELLED_ID = re.compile(r"\b(NIK|No\.?\s*KTP|nomor induk kependudukan|No\.?\s*KK)\s*[:.]?\s*(\d[\d .-]{14,20}\d)", re.I)


# A street name at the end of a line whose next line starts with the house number (a <br> in the page):
# "Jl. Merdeka\nNo. 12 RT 03/RW 05". Detection reads that newline as a space.
_BROKEN_ADDRESS = re.compile(r"\b(?:Jl|Jln|Jalan|Gg|Gang)\b\.?[ \t]+[^\n.!?]{1,60}(\n)(?=[ \t]*(?:No|Nomor|Blok|Kav|RT|RW)"
                             r"\b\.?[ \t]*[A-Za-z]?\d)", re.I)


def find_personal_data(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each identity number, phone number and home address in `text`."""
    probe = _join_broken_addresses(text)          # same length: offsets hold for `text`
    found = []
    for m in _detect_personal(probe):
        end = m.end
        if m.type == "ADDRESS":
            end = _address_end(probe, m.start, m.end)
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


# lokal-id's detectors that only ever report other kinds (names, health, plates, e-mail ...): detect_pii drops
# their matches before it resolves overlaps, so skipping them changes nothing and saves four fifths of its time.
# A detector a later lokal-id adds is not in this list and runs.
_OTHER_KINDS_ONLY = frozenset((
    "_detect_npwp_formatted", "_detect_passports", "_detect_emails", "_detect_ips", "_detect_coordinates",
    "_detect_birth_dates", "_detect_health", "_detect_financial", "_detect_religion", "_detect_marital_status",
    "_detect_plates", "_detect_names", "_detect_chat_senders", "_detect_known_names", "_detect_signatures",
    "_detect_display_names", "_detect_handles", "_detect_phone_owners", "_detect_timed_senders",
    "_detect_log_users", "_detect_akta", "_detect_criminal", "_detect_card_codes", "_detect_lone_given_names",
    "_detect_names_with_age", "_detect_name_pairs", "_detect_attendance", "_detect_sentence_subjects",
    "_detect_bracket_handles"))
_PERSONAL_DETECTORS = tuple(d for d in getattr(_lokal, "_DETECTORS", ()) if d.__name__ not in _OTHER_KINDS_ONLY)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _detect_personal(text: str) -> list[PiiMatch]:
    """detect_pii(text, types=PERSONAL), running only the detectors that can report those kinds. Text with
    characters beyond the BMP (emoji), which lokal-id reads as UTF-16, goes to detect_pii itself."""
    if not _PERSONAL_DETECTORS or _ASTRAL.search(text):
        return detect_pii(text, types=PERSONAL)
    candidates = [m for detector in _PERSONAL_DETECTORS for m in detector(text)
                  if m.end > m.start and m.type in PERSONAL]
    # detect_pii's resolution: confident first, then longer; a match overlapping an accepted one is dropped.
    candidates.sort(key=lambda m: (m.confidence != "high", m.start - m.end, m.start))
    taken = bytearray(len(text) + 1)
    accepted = []
    for m in candidates:
        if not any(taken[m.start:m.end]):
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
            accepted.append(m)
    return sorted(accepted, key=lambda m: m.start)


def _join_broken_addresses(text: str) -> str:
    if "\n" not in text:
        return text
    breaks = [m.start(1) for m in _BROKEN_ADDRESS.finditer(text)]
    if not breaks:
        return text
    chars = list(text)
    for i in breaks:
        chars[i] = " "
    return "".join(chars)


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
