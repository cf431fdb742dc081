from __future__ import annotations

import unicodedata

from crawler.encoding import charset_from_header, codec_for, decode_html, detect_charset

VIETNAMESE = "Hỗ trợ nông dân chuyển đổi cơ cấu cây trồng ở Lâm Đồng"


def _cp1258_decomposed(text: str) -> bytes:
    """Vietnamese as windows-1258 writes it: base letters plus combining tone marks."""
    decomposed = unicodedata.normalize("NFD", text)
    # cp1258 has precomposed â ê ô ơ ư ă đ; recompose only those letter marks.
    out: list[str] = []
    for ch in decomposed:
        if out and unicodedata.combining(ch) and ch in "\u0302\u0306\u031b":
            merged = unicodedata.normalize("NFC", out[-1] + ch)
            if len(merged) == 1:
                out[-1] = merged
                continue
        out.append(ch)
    return "".join(out).encode("cp1258")


def test_utf8_with_header_charset() -> None:
    body = f"<html><body>{VIETNAMESE}</body></html>".encode()
    assert decode_html(body, "text/html; charset=utf-8").endswith(f"{VIETNAMESE}</body></html>")


def test_utf8_served_as_latin1_is_sniffed() -> None:
    body = f'<meta charset="utf-8"><p>{VIETNAMESE} Ламдонг</p>'.encode()
    text = decode_html(body, "text/html; charset=iso-8859-1")
    assert VIETNAMESE in text and "Ламдонг" in text


def test_windows_1258_from_meta_is_nfc() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
        f"</head><body><p>{VIETNAMESE}</p></body></html>"
    )
    body = _cp1258_decomposed(html)
    assert body != html.encode("utf-8")
    assert detect_charset(body, "text/html") == "cp1258"
    text = decode_html(body, "text/html")
    assert VIETNAMESE in text
    assert unicodedata.is_normalized("NFC", text)


def test_decomposed_utf8_is_normalised() -> None:
    body = unicodedata.normalize("NFD", VIETNAMESE).encode()
    assert decode_html(body, None) == VIETNAMESE


def test_undeclared_windows_1258_is_guessed() -> None:
    sentence = f"{VIETNAMESE}. Tỉnh ủy đã ban hành nghị quyết về phát triển kinh tế. "
    body = _cp1258_decomposed(f"<p>{sentence * 5}</p>")
    assert sentence.strip() in decode_html(body, None)


def test_bom_wins() -> None:
    body = "<p>Đà Lạt</p>".encode("utf-8-sig")
    assert decode_html(body, "text/html; charset=windows-1252") == "<p>Đà Lạt</p>"


def test_labels() -> None:
    assert codec_for("windows-1258") == "cp1258"
    assert codec_for("ISO-8859-1") == "cp1252"
    assert codec_for("no-such-charset") is None
    assert charset_from_header('text/html; charset="UTF-8"') == "utf-8"
    assert charset_from_header(None) is None


def test_undecodable_bytes_do_not_raise() -> None:
    text = decode_html(b"<p>abc \xff\xfe\xfa def</p>", "text/html; charset=utf-8")
    assert text.startswith("<p>abc ") and text.endswith(" def</p>")
