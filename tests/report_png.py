#!/usr/bin/env python3
"""report_png.py PNG [X0 Y0 X1 Y1] - count chart-coloured pixels in a PNG.

Python standard library only (the PNG is decoded here with zlib), for the
ward-report rendering test: prints "blue=N red=N other=N" for the pixels in
the box (default: the whole image) that are close to the report's bar/line
blue (#1f77b4), its threshold and ban red (#d62728), or any other colour that
is not white, the page grey or text-like grey. With --crop OUT it also writes
the box as a new PNG (for looking at a region)."""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, "unsupported PNG"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def near(px, rgb, tol=40):
    return all(abs(px[i] - rgb[i]) <= tol for i in range(3))


def main():
    args = sys.argv[1:]
    crop = None
    if "--crop" in args:
        i = args.index("--crop")
        crop = args[i + 1]
        del args[i:i + 2]
    w, h, bpp, rows = decode(args[0])
    x0, y0, x1, y1 = (int(v) for v in args[1:5]) if len(args) >= 5 else (0, 0, w, h)
    x1, y1 = min(x1, w), min(y1, h)
    counts = {"blue": 0, "red": 0, "other": 0}
    for y in range(y0, y1):
        row = rows[y]
        for x in range(x0, x1):
            px = row[x * bpp:x * bpp + 3]
            if near(px, (0x1f, 0x77, 0xb4)):
                counts["blue"] += 1
            elif near(px, (0xd6, 0x27, 0x28)):
                counts["red"] += 1
            elif max(px) - min(px) > 40:
                counts["other"] += 1
    print(" ".join("%s=%d" % kv for kv in counts.items()))
    if crop:
        out = b"".join(b"\x00" + bytes(rows[y][x0 * bpp:x1 * bpp]) for y in range(y0, y1))
        chunk = lambda k, d: struct.pack(">I", len(d)) + k + d + struct.pack(">I", zlib.crc32(k + d))
        ihdr = struct.pack(">IIBBBBB", x1 - x0, y1 - y0, 8, 2 if bpp == 3 else 6, 0, 0, 0)
        open(crop, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(out))
                               + chunk(b"IEND", b""))


if __name__ == "__main__":
    main()
