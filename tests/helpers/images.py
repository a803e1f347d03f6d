"""Small generated images for upload tests."""
import io
import os

from PIL import Image


def image_bytes(kind: str, size: tuple[int, int] = (40, 57), noise: bool = False) -> bytes:
    """A small image in ``kind`` ("PNG", "JPEG", "GIF"); ``noise`` makes it incompressible (large files)."""
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format=kind)
    return buffer.getvalue()
