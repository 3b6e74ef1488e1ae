"""Pages whose declared charset lies come out as clean text."""
from __future__ import annotations

from extract.decode import decode_html, repair_mojibake
from extract.page import extract_page

TEXT = "“Kami sudah memanggil keempatnya,” kata Aan – Ketua Bawaslu © 2023 Jabar Ekspres"
ARTICLE = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset={charset}'>"
           "<title>Bawaslu Panggil Camat</title></head><body><article><h1>Bawaslu Panggil Camat</h1>"
           "<p>CIMAHI – “Kami sudah memanggil keempatnya untuk diklarifikasi,” kata Aan Sugiharto, Ketua Bawaslu "
           "Kota Cimahi, Rabu (13/9). Menurut dia, camat dan tiga ASN itu terekam berpose dengan salam dua jari "
           "bersama seorang caleg di Kelurahan Cibeber pekan lalu.</p></article></body></html>")


def test_declared_iso_8859_1_but_utf8_bytes():
    assert decode_html(TEXT.encode("utf-8"), "iso-8859-1") == TEXT
    page = extract_page(ARTICLE.format(charset="iso-8859-1").encode("utf-8"), "https://x.co.id/a",
                        declared_encoding="iso-8859-1")
    assert "“Kami sudah memanggil" in page.text and "â€" not in page.text


def test_declared_utf8_but_windows_1252_bytes():
    assert decode_html(TEXT.encode("cp1252"), "utf-8") == TEXT
    page = extract_page(ARTICLE.format(charset="utf-8").encode("cp1252"), "https://x.co.id/a", declared_encoding="utf-8")
    assert "CIMAHI – “Kami sudah memanggil" in page.text


def test_declared_windows_1252_in_the_page_only():
    body = ARTICLE.format(charset="windows-1252").encode("cp1252")
    assert "“Kami sudah" in extract_page(body, "https://x.co.id/a").text


def test_text_already_decoded_with_the_wrong_charset_is_repaired():
    plain = "Aan – Ketua Bawaslu © 2023 minta ASN ‘netral’ di café"     # bytes cp1252 can map
    assert repair_mojibake(plain.encode("utf-8").decode("cp1252")) == plain
    assert repair_mojibake(TEXT.encode("utf-8").decode("latin-1")) == TEXT
    assert repair_mojibake(TEXT) == TEXT                                   # clean text is left alone
    assert repair_mojibake("Rp 5.000 – Café") == "Rp 5.000 – Café"


def test_byte_order_mark_is_dropped():
    assert decode_html(b"\xef\xbb\xbf<p>Bawaslu</p>") == "<p>Bawaslu</p>"
