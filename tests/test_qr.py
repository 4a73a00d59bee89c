"""Join links and QR codes."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from consult.live import qr


def test_join_url_drops_paths_and_queries():
    assert qr.join_url("https://consult.example.org/present?code=X&mode=kiosk", "DEVO26") == \
        "https://consult.example.org/?join=DEVO26"
    assert qr.join_url("localhost:8501", "AB12") == "http://localhost:8501/?join=AB12"


def test_qr_code_decodes_to_the_join_url():
    url = qr.join_url("https://consult.example.org", "DEVO26")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.qr_png(url))))
    assert [d.text for d in decoded] == [url]
