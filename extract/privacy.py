"""Never store identity numbers or phone numbers a page prints (UU PDP 27/2022)."""
from __future__ import annotations

import re

_NIK = re.compile(r"\b(NIK|No\.?\s*KTP|nomor induk kependudukan)\s*[:.]?\s*\d[\d .-]{14,20}\d", re.I)
_BARE_NIK = re.compile(r"(?<![\d/.-])\d{16}(?![\d/-])")
_PHONE = re.compile(r"(?<![\w/-])(?:\+62|62|0)8\d{1,2}[\s.-]?\d{3,4}[\s.-]?\d{3,5}(?![\w/-])")


def scrub(text: str) -> str:
    text = _NIK.sub(lambda m: f"{m.group(1)} [dihapus]", text)
    text = _BARE_NIK.sub("[dihapus]", text)
    return _PHONE.sub("[dihapus]", text)
