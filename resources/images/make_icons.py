"""Render newsmark.svg to the PNG sizes the window icon uses and to newsmark.ico for the build.

Run from anywhere: python resources/images/make_icons.py (needs PySide6 only; offscreen is fine).
The .ico holds PNG-compressed images (Windows Vista and later read them), written by hand so that
no Qt image plugin for ICO is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def write_ico(path: Path, images: dict[int, bytes]) -> None:
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in sorted(images.items()):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    path.write_bytes(header + entries + blobs)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(HERE / "newsmark.svg"))
    if not renderer.isValid():
        print("newsmark.svg could not be read", file=sys.stderr)
        return 1
    rendered = {size: render(renderer, size) for size in set(SIZES) | set(ICO_SIZES)}
    for size in SIZES:
        rendered[size].save(str(HERE / f"newsmark-{size}.png"))
    write_ico(HERE / "newsmark.ico", {size: png_bytes(rendered[size]) for size in ICO_SIZES})
    del app
    print(f"wrote {len(SIZES)} PNGs and newsmark.ico to {HERE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
