#!/usr/bin/env python3
"""Writes org.agentops.Monitor.ico (Windows installer and executable icon) and
org.agentops.Monitor.icns (macOS bundle icon) from the rendered PNGs: containers whose entries are
PNG images, which Windows reads since Vista and macOS since 10.7."""
import pathlib
import struct

here = pathlib.Path(__file__).resolve().parent
sizes = [16, 24, 32, 48, 64, 256]
images = [(here / f"hicolor/{s}x{s}/apps/org.agentops.Monitor.png").read_bytes() for s in sizes]
out = bytearray(struct.pack("<HHH", 0, 1, len(sizes)))
offset = 6 + 16 * len(sizes)
for size, data in zip(sizes, images):
    dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
    out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
    offset += len(data)
for data in images:
    out += data
(here / "org.agentops.Monitor.ico").write_bytes(bytes(out))
print(f"wrote org.agentops.Monitor.ico ({len(out)} bytes, {len(sizes)} sizes)")

# icns: 'icns', total length, then (type, length incl. 8-byte header, PNG) per size.
icns_types = {32: b"ic11", 64: b"ic12", 128: b"ic07", 256: b"ic08", 512: b"ic09"}
body = bytearray()
for size, kind in icns_types.items():
    data = (here / f"hicolor/{size}x{size}/apps/org.agentops.Monitor.png").read_bytes()
    body += kind + struct.pack(">I", 8 + len(data)) + data
(here / "org.agentops.Monitor.icns").write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + bytes(body))
print(f"wrote org.agentops.Monitor.icns ({8 + len(body)} bytes, {len(icns_types)} sizes)")
