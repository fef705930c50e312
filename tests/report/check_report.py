#!/usr/bin/env python3
"""check_report.py REPORT.html OC.csv [PNG] [--pdf PDF] — report.html is well-formed,
self-contained, and shows oc.csv's numbers; the PNG (Chromium's rendering of it), if given, is not
blank; the PDF (Chromium's A4 print of it), if given, has no page but the last less than half full
and the whole summary on its first page. Standard library only: html.parser for the page, zlib for
the PNG's pixels; poppler's pdftoppm and pdftotext read the PDF."""
import csv
import html.parser
import os
import struct
import subprocess
import sys
import tempfile
import zlib

VOID = {"meta", "br", "img", "hr", "input", "link", "col", "area", "base", "wbr", "source",
        "circle", "line", "rect", "polyline", "path"}  # SVG elements we write self-closed


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.cells, self.current, self.tags = [], [], None, set()
        self.summary_rows, self.in_summary = [], False  # the summary's rows, as text

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        a = dict(attrs)
        for k, v in attrs:
            if k in ("src", "href") and v and ("//" in v or v.startswith("http")):
                fail(f"<{tag} {k}={v}>: the page must not load anything")
        if tag == "script":
            fail("<script>: the page must need no script")
        if tag == "section":
            self.in_summary = a.get("id") == "summary"
        if self.in_summary and tag == "tr":
            self.summary_rows.append("")
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))
        if "data-r" in a:
            self.current = {"r": int(a["data-r"]), "neg": a.get("data-neg") == "1", "text": ""}
            self.cells.append(self.current)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            fail(f"</{tag}> at line {self.getpos()[0]} closes nothing")
        open_tag, pos = self.stack.pop()
        if open_tag != tag:
            fail(f"</{tag}> at line {self.getpos()[0]} closes <{open_tag}> of line {pos[0]}")
        if tag == "td":
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data
        if self.in_summary and self.summary_rows and any(t == "td" for t, _ in self.stack):
            self.summary_rows[-1] += " " + data


def decimals(s):
    return len(s.split(".")[1]) if "." in s else 0


def check_numbers(page, rows):
    checked = 0
    for c in page.cells:
        if not 0 <= c["r"] < len(rows):
            fail(f"data-r={c['r']}: oc.csv has {len(rows)} rows")
        row = rows[c["r"]]
        parts = c["text"].replace("\u00b1", " \u00b1").split()
        if not parts:
            fail(f"empty cell for oc.csv row {c['r'] + 2}: {row}")
        shown, value = parts[0], row["value"]
        where = f"oc.csv line {c['r'] + 2} ({row['scenario']}, {row['design']}, {row['metric']}, {row['dose']})"
        if value == "NA" or shown == "NA":
            if value != shown:
                fail(f"{where}: the page shows {shown}, oc.csv has {value}")
            continue
        v = float(value) * (-1 if c["neg"] else 1)
        if abs(float(shown) - v) > 0.5 * 10 ** -decimals(shown) + 1e-12:
            fail(f"{where}: the page shows {shown}, oc.csv has {value}")
        if len(parts) > 1:  # "± mcse"
            se = parts[1].lstrip("\u00b1")
            if abs(float(se) - float(row["mcse"])) > 0.5 * 10 ** -decimals(se) + 1e-12:
                fail(f"{where}: the page shows MCSE {se}, oc.csv has {row['mcse']}")
        checked += 1
    return checked


def png_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                fail(f"{path}: expected 8-bit RGB(A), got depth {depth} colour type {colour}")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride = zlib.decompress(idat), width * bpp
    prev, out = bytearray(stride), []
    for y in range(height):  # undo the per-row filters (PNG spec section 9)
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
        out.append(bytes(line))
        prev = line
    return width, height, bpp, out


def check_png(path):
    width, height, bpp, rows = png_pixels(path)
    colours, inked = set(), 0
    for line in rows[::4]:
        for x in range(0, width * bpp, bpp * 4):
            px = line[x:x + 3]
            colours.add(px)
            inked += px != b"\xff\xff\xff"
    sampled = ((height + 3) // 4) * ((width + 3) // 4)
    if inked < 0.02 * sampled or len(colours) < 8:
        fail(f"{path}: looks blank ({inked} of {sampled} sampled pixels inked, {len(colours)} colours)")
    return inked / sampled, len(colours)


def pgm(path):
    """A binary greymap as pdftoppm -gray writes it: (width, height, pixels)."""
    data = open(path, "rb").read()
    magic, w, h, maxval, pixels = data.split(maxsplit=4)
    if magic != b"P5" or maxval != b"255":
        fail(f"{path}: not an 8-bit binary PGM")
    return int(w), int(h), pixels[:int(w) * int(h)]


def check_print(pdf, page):
    """In print every block flows on from the one before, so a page ends early only where the
    next block that must not be broken (a table row, a chart, a heading with what follows it)
    does not fit; each such block is shorter than half a page, so each page but the last is more
    than half full: its ink reaches below the middle of the page (the top and bottom margins are
    equal, so that is also the middle of the printed area). The summary is whole on page 1: the
    last of its rows is among page 1's words."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", "40", pdf, os.path.join(tmp, "p")], check=True)
        pages = sorted(f for f in os.listdir(tmp) if f.endswith(".pgm"))
        if not pages:
            fail(f"{pdf}: no pages")
        for i, name in enumerate(pages[:-1]):
            w, h, px = pgm(os.path.join(tmp, name))
            inked = [y for y in range(h) if min(px[y * w:(y + 1) * w]) < 192]
            low = inked[-1] / h if inked else 0
            if low <= 0.5:
                fail(f"{pdf}: page {i + 1} of {len(pages)} is less than half full (its ink ends "
                     f"at {low:.0%} of its height)")
    first = subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", "1", pdf, "-"], check=True,
                           capture_output=True, text=True).stdout
    words = first.replace("\u2605", " ").replace("\u00a0", " ").split()  # the star is CSS's
    last = page.summary_rows[-1].split() if page.summary_rows else []
    if not last:
        fail("the page has no summary rows")
    if not any(words[i:i + len(last)] == last for i in range(len(words))):
        fail(f"{pdf}: the summary does not fit on page 1 (its last row, {' '.join(last)!r}, "
             "is not there)")
    return len(pages)


def main():
    args = sys.argv[1:]
    pdf = None
    if "--pdf" in args:
        at = args.index("--pdf")
        pdf = args[at + 1]
        del args[at:at + 2]
    report, oc = args[0], args[1]
    page = Page()
    page.feed(open(report, encoding="utf-8").read())
    page.close()
    if page.stack:
        fail(f"<{page.stack[-1][0]}> of line {page.stack[-1][1][0]} is never closed")
    for needed in ("svg", "table", "rect", "polyline"):
        if needed not in page.tags:
            fail(f"no <{needed}> in the page")
    rows = list(csv.DictReader(open(oc, newline="")))
    n = check_numbers(page, rows)
    if n < 50:
        fail(f"only {n} numbers on the page carry an oc.csv row")
    msg = f"ok: {report}: well-formed, no script or network, {n} numbers equal oc.csv"
    if len(args) > 2:
        share, colours = check_png(args[2])
        msg += f"; rendering {share:.0%} inked, {colours} colours"
    if pdf:
        msg += f"; A4 print {check_print(pdf, page)} pages, none but the last under half full, " \
               "the summary on page 1"
    print(msg)


main()
