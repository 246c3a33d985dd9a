"""screenshot.py: does a screenshot of servsim's report show its parts?

    python3 tests/screenshot.py SHOT.png

Decodes the PNG with the standard library alone (chromium writes 8-bit
RGB or RGBA, not interlaced) and looks for what each part draws:
  - the headline: dark text in the top 150 pixels;
  - the answer: its box's pale blue (#f3f8fc, 300 pixels wide at least),
    in the first screen;
  - the table: the grey (#f4f4f4) of its header row, 300 pixels wide;
  - the charts: the red (#d1495b) of the second design's lines and points,
    below the table's header.
Exit 0 if every part is there, else 1, naming what is missing.
"""
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError("not 8-bit RGB(A), non-interlaced")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def find(rows, width, bpp, rgb, y0, y1, tol=6, run=1):
    """First row in [y0, y1) holding `run` pixels side by side of the
    colour rgb (within tol), or None."""
    for y in range(y0, min(y1, len(rows))):
        line, n = rows[y], 0
        for x in range(width):
            i = x * bpp
            if (abs(line[i] - rgb[0]) <= tol and abs(line[i + 1] - rgb[1]) <= tol
                    and abs(line[i + 2] - rgb[2]) <= tol):
                n += 1
                if n >= run:
                    return y
            else:
                n = 0
    return None


def main():
    width, height, bpp, rows = read_png(sys.argv[1])
    missing = []
    dark = any(sum(rows[y][x * bpp:x * bpp + 3]) < 3 * 80
               for y in range(min(150, height)) for x in range(width))
    if not dark:
        missing.append("the headline (no text in the top 150 pixels)")
    if find(rows, width, bpp, (0xf3, 0xf8, 0xfc), 0, 900, 1, 300) is None:
        missing.append("the answer's box (no #f3f8fc in the first screen)")
    table = find(rows, width, bpp, (0xf4, 0xf4, 0xf4), 0, height, 1, 300)
    if table is None:
        missing.append("the table (no header row's #f4f4f4)")
    elif find(rows, width, bpp, (0xd1, 0x49, 0x5b), table + 1, height) is None:
        missing.append("the charts (no #d1495b below the table's header)")
    for m in missing:
        print("screenshot.py: missing " + m, file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
