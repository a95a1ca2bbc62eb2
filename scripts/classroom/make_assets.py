#!/usr/bin/python3
"""make_assets.py: the pictures and documents of the demo classroom, drawn with cairo.

Used by scripts/make-classroom (python3-cairo, no network, no other module):

  make_assets.py slides  OUT.pdf   4 slides, 16:9: title, "Sampling a signal" (stem plot),
                                   "Aliasing" (7 kHz sampled at 8 kHz looks like 1 kHz),
                                   "The Nyquist rate" (formula and a block diagram)
  make_assets.py handout OUT.pdf   2 A4 pages: summary with an alias table; exercises 3.1-3.4
  make_assets.py plot    OUT.png   a labelled plot of the 7 kHz tone, its samples and the alias
  make_assets.py editor  DIR       DIR/chrome.png (1280x720 code-editor window with an empty
                                   editor area and terminal) and DIR/code.png (the source of
                                   aliasing_demo.py, 1280 px wide, as tall as it needs):
                                   ffmpeg scrolls code.png inside chrome.png for the screen share
  make_assets.py wheel   OUT.png   a 300x300 wagon wheel with 8 spokes on a transparent ground

The positions of the things drawn on the slides are the ones the annotations of
scripts/make-classroom point at (normalized page coordinates): move both together.
"""

import math
import os
import sys

import cairo

NAVY = (0.094, 0.227, 0.400)
INK = (0.13, 0.15, 0.20)
GREY = (0.45, 0.48, 0.55)
ORANGE = (0.93, 0.45, 0.05)
BLUE = (0.12, 0.42, 0.80)
RED = (0.85, 0.16, 0.16)
LIGHT = (0.91, 0.94, 0.98)
SANS = "DejaVu Sans"
MONO = "DejaVu Sans Mono"


def font(cr, size, bold=False, family=SANS, italic=False):
    cr.select_font_face(family,
                        cairo.FONT_SLANT_ITALIC if italic else cairo.FONT_SLANT_NORMAL,
                        cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL)
    cr.set_font_size(size)


def text(cr, x, y, s, size, colour=INK, bold=False, family=SANS, align="left", italic=False):
    """Draws s with its baseline at y; align left, centre or right of x. Returns the width."""
    font(cr, size, bold, family, italic)
    ext = cr.text_extents(s)
    if align == "centre":
        x -= ext.x_advance / 2
    elif align == "right":
        x -= ext.x_advance
    cr.set_source_rgb(*colour)
    cr.move_to(x, y)
    cr.show_text(s)
    cr.new_path()  # no current point left behind: a following arc would join it with a line
    return ext.x_advance


def wrap(cr, s, size, max_w, bold=False):
    """Splits s into lines no wider than max_w at this font."""
    font(cr, size, bold)
    lines, line = [], ""
    for word in s.split():
        candidate = word if not line else line + " " + word
        if line and cr.text_extents(candidate).x_advance > max_w:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def paragraph(cr, x, y, s, size, max_w, colour=INK, leading=1.35, bold=False):
    """Draws wrapped text from baseline y; returns the baseline after the last line."""
    for line in wrap(cr, s, size, max_w, bold):
        text(cr, x, y, line, size, colour, bold)
        y += size * leading
    return y


def bullets(cr, x, y, items, size=21, step=46, max_w=420):
    for item in items:
        cr.set_source_rgb(*BLUE)
        cr.arc(x + 6, y - size * 0.33, 5, 0, 2 * math.pi)
        cr.fill()
        y = paragraph(cr, x + 24, y, item, size, max_w) - size * 1.35 + step
    return y


def arrow(cr, x0, y0, x1, y1, colour=INK, width=2.0, head=10):
    cr.set_source_rgb(*colour)
    cr.set_line_width(width)
    a = math.atan2(y1 - y0, x1 - x0)
    cr.move_to(x0, y0)
    cr.line_to(x1 - head * 0.7 * math.cos(a), y1 - head * 0.7 * math.sin(a))
    cr.stroke()
    cr.move_to(x1, y1)
    cr.line_to(x1 - head * math.cos(a - 0.4), y1 - head * math.sin(a - 0.4))
    cr.line_to(x1 - head * math.cos(a + 0.4), y1 - head * math.sin(a + 0.4))
    cr.close_path()
    cr.fill()


def rounded(cr, x, y, w, h, r):
    cr.new_sub_path()
    cr.arc(x + w - r, y + r, r, -math.pi / 2, 0)
    cr.arc(x + w - r, y + h - r, r, 0, math.pi / 2)
    cr.arc(x + r, y + h - r, r, math.pi / 2, math.pi)
    cr.arc(x + r, y + r, r, math.pi, 3 * math.pi / 2)
    cr.close_path()


def curve(cr, f, x0, x1, steps=400):
    for i in range(steps + 1):
        x = x0 + (x1 - x0) * i / steps
        (cr.move_to if i == 0 else cr.line_to)(x, f(x))


# --------------------------------------------------------------------------------------------
# Slides: 960 x 540 pt
# --------------------------------------------------------------------------------------------
SW, SH = 960, 540
PAGES = 4


def slide_frame(cr, title, page):
    cr.set_source_rgb(1, 1, 1)
    cr.paint()
    cr.set_source_rgb(*NAVY)
    cr.rectangle(0, 0, SW, 92)
    cr.fill()
    cr.set_source_rgb(*ORANGE)
    cr.rectangle(0, 92, SW, 5)
    cr.fill()
    text(cr, 48, 62, title, 36, (1, 1, 1), bold=True)
    cr.set_source_rgb(0.85, 0.87, 0.91)
    cr.set_line_width(1)
    cr.move_to(48, 505)
    cr.line_to(SW - 48, 505)
    cr.stroke()
    text(cr, 48, 526, "SIG101 · Intro to Signals · Week 3", 13, GREY)
    text(cr, SW - 48, 526, f"{page} / {PAGES}", 13, GREY, align="right")


def slide_title(cr):
    grad = cairo.LinearGradient(0, 0, SW, SH)
    grad.add_color_stop_rgb(0, 0.07, 0.17, 0.32)
    grad.add_color_stop_rgb(1, 0.12, 0.33, 0.55)
    cr.set_source(grad)
    cr.paint()
    # A sine with its samples along the bottom.
    base, amp = 420, 45
    f = lambda x: base - amp * math.sin(2 * math.pi * (x - 60) / 280)  # noqa: E731
    cr.set_source_rgba(1, 1, 1, 0.55)
    cr.set_line_width(3)
    curve(cr, f, 60, 900)
    cr.stroke()
    for i in range(25):
        x = 60 + i * 35
        cr.set_source_rgba(1, 0.62, 0.25, 0.9)
        cr.set_line_width(2)
        cr.move_to(x, base)
        cr.line_to(x, f(x))
        cr.stroke()
        cr.arc(x, f(x), 5, 0, 2 * math.pi)
        cr.fill()
    text(cr, 80, 165, "Intro to Signals", 60, (1, 1, 1), bold=True)
    text(cr, 82, 225, "Week 3 — Sampling and aliasing", 30, (1, 0.80, 0.55))
    text(cr, 82, 290, "Dr. Maria Okonkwo  ·  Layla Haddad (TA)", 20, (0.85, 0.90, 0.97))
    text(cr, 82, 320, "Northfield University · Department of Electrical Engineering", 16,
         (0.70, 0.78, 0.88))


def slide_sampling(cr):
    slide_frame(cr, "Sampling a signal", 2)
    bullets(cr, 56, 160, [
        "A sampler reads x(t) every T seconds",
        "x[n] = x(nT),  with  T = 1 / fs",
        "fs: the sample rate, in samples per second (Hz)",
        "Between two samples the sampler sees nothing",
    ], step=62, max_w=400)
    # Stem plot on the right: box 520..920 x 130..470, axis at y 300.
    x0, x1, axis, amp = 540, 910, 300, 120
    f = lambda x: axis - amp * math.sin(2 * math.pi * (x - x0) / 250 + 0.5)  # noqa: E731
    cr.set_source_rgb(*INK)
    arrow(cr, x0 - 10, axis, x1 + 10, axis, INK, 1.5)
    text(cr, x1 + 4, axis + 24, "t", 18, INK, italic=True)
    cr.set_source_rgb(*BLUE)
    cr.set_line_width(2.5)
    curve(cr, f, x0, x1)
    cr.stroke()
    text(cr, 600, 160, "x(t)", 20, BLUE, italic=True)
    samples = [x0 + 10 + i * 30 for i in range(13)]
    for x in samples:
        cr.set_source_rgb(*ORANGE)
        cr.set_line_width(2)
        cr.move_to(x, axis)
        cr.line_to(x, f(x))
        cr.stroke()
        cr.arc(x, f(x), 5.5, 0, 2 * math.pi)
        cr.fill()
    text(cr, 820, 450, "x[n]", 20, ORANGE, italic=True)
    # The sampling period between samples 6 and 7, under the axis.
    a, b, y = samples[6], samples[7], 440
    cr.set_source_rgb(*INK)
    cr.set_line_width(1.2)
    for x in (a, b):
        cr.move_to(x, y - 10)
        cr.line_to(x, y + 10)
    cr.move_to(a, y)
    cr.line_to(b, y)
    cr.stroke()
    text(cr, (a + b) / 2, y + 30, "T", 20, INK, italic=True, align="centre")


def slide_aliasing(cr):
    slide_frame(cr, "Aliasing", 3)
    bullets(cr, 56, 150, [
        "Sampling too slowly makes a fast tone look slow",
        "A 7 kHz tone sampled at 8 kHz looks like 1 kHz",
        "The alias is |f − k·fs| for the nearest whole k",
    ], step=44, max_w=820)
    # 2 ms of signal across 80..880, axis at y 390.
    x0, x1, axis, amp = 80, 880, 390, 80
    ms = lambda x: 2.0 * (x - x0) / (x1 - x0)  # noqa: E731
    cr.set_source_rgb(0.97, 0.97, 0.99)
    cr.rectangle(60, 285, 840, 210)
    cr.fill()
    arrow(cr, x0 - 10, axis, x1 + 14, axis, INK, 1.2)
    text(cr, x1 + 2, axis + 22, "t (ms)", 14, GREY)
    for tick in (0, 1, 2):
        x = x0 + tick * (x1 - x0) / 2
        text(cr, x, axis + 104 - 6, f"{tick}", 13, GREY, align="centre")
    cr.set_source_rgb(0.55, 0.58, 0.65)
    cr.set_line_width(1.4)
    curve(cr, lambda x: axis - amp * math.cos(2 * math.pi * 7 * ms(x)), x0, x1, 1400)
    cr.stroke()
    cr.set_source_rgb(*RED)
    cr.set_line_width(3)
    cr.set_dash([10, 6])
    curve(cr, lambda x: axis - amp * math.cos(2 * math.pi * 1 * ms(x)), x0, x1)
    cr.stroke()
    cr.set_dash([])
    for n in range(17):
        x = x0 + n * (x1 - x0) / 16
        cr.set_source_rgb(*ORANGE)
        cr.arc(x, axis - amp * math.cos(2 * math.pi * n / 8), 6.5, 0, 2 * math.pi)
        cr.fill()
    # Legend, top right of the plot.
    lx, ly = 640, 300
    cr.set_source_rgb(1, 1, 1)
    rounded(cr, lx, ly, 250, 78, 6)
    cr.fill()
    for i, (colour, label, dash) in enumerate([((0.55, 0.58, 0.65), "7 kHz tone", None),
                                               (ORANGE, "samples at 8 kHz", "dot"),
                                               (RED, "what we hear: 1 kHz", [8, 5])]):
        y = ly + 18 + i * 22
        cr.set_source_rgb(*colour)
        if dash == "dot":
            cr.arc(lx + 26, y, 5, 0, 2 * math.pi)
            cr.fill()
        else:
            cr.set_line_width(2.5)
            cr.set_dash(dash or [])
            cr.move_to(lx + 10, y)
            cr.line_to(lx + 42, y)
            cr.stroke()
            cr.set_dash([])
        text(cr, lx + 52, y + 5, label, 14, INK)


def slide_nyquist(cr):
    slide_frame(cr, "The Nyquist rate", 4)
    cr.set_source_rgb(*LIGHT)
    rounded(cr, 270, 118, 420, 84, 12)
    cr.fill()
    text(cr, SW / 2, 175, "fs  >  2 × f_max", 40, NAVY, bold=True, align="centre")
    bullets(cr, 56, 250, [
        "A 4 kHz tone: sample faster than 8 kHz",
        "CD audio: 44.1 kHz covers hearing up to 20 kHz",
        "Filter first: remove what the sampler cannot represent",
    ], step=42, max_w=820)
    # Block diagram: x(t) -> low-pass filter -> sampler -> x[n], boxes at y 395..455.
    y, h = 395, 60
    boxes = [(60, 110, "x(t)", False), (240, 210, "Low-pass filter", True),
             (520, 180, "Sampler (fs)", True), (770, 120, "x[n]", False)]
    for x, w, label, boxed in boxes:
        if boxed:
            cr.set_source_rgb(*LIGHT)
            rounded(cr, x, y, w, h, 8)
            cr.fill_preserve()
            cr.set_source_rgb(*BLUE)
            cr.set_line_width(2)
            cr.stroke()
        text(cr, x + w / 2, y + h / 2 + 7, label, 20, INK, bold=boxed, align="centre",
             italic=not boxed)
    for (xa, wa, _, _), (xb, _, _, _) in zip(boxes, boxes[1:]):
        arrow(cr, xa + wa + 6, y + h / 2, xb - 6, y + h / 2, INK, 2)
    text(cr, 345, y + h + 26, "cut-off below fs / 2", 14, GREY, align="centre")


def make_slides(path):
    surface = cairo.PDFSurface(path, SW, SH)
    surface.set_metadata(cairo.PDF_METADATA_TITLE, "Intro to Signals — Week 3")
    surface.set_metadata(cairo.PDF_METADATA_AUTHOR, "Maria Okonkwo")
    cr = cairo.Context(surface)
    for draw in (slide_title, slide_sampling, slide_aliasing, slide_nyquist):
        draw(cr)
        cr.show_page()
    surface.finish()


# --------------------------------------------------------------------------------------------
# Handout: A4, 595 x 842 pt
# --------------------------------------------------------------------------------------------
AW, AH = 595, 842


def handout_frame(cr, page):
    cr.set_source_rgb(1, 1, 1)
    cr.paint()
    text(cr, 50, 50, "SIG101 · Intro to Signals", 10, GREY)
    text(cr, AW - 50, 50, "Week 3 handout", 10, GREY, align="right")
    cr.set_source_rgb(*NAVY)
    cr.set_line_width(1.5)
    cr.move_to(50, 58)
    cr.line_to(AW - 50, 58)
    cr.stroke()
    text(cr, AW / 2, AH - 36, f"page {page} of 2", 9, GREY, align="centre")


def heading(cr, y, s, size=15):
    text(cr, 50, y, s, size, NAVY, bold=True)
    return y + size * 1.6


def make_handout(path):
    surface = cairo.PDFSurface(path, AW, AH)
    surface.set_metadata(cairo.PDF_METADATA_TITLE, "SIG101 Week 3 handout")
    cr = cairo.Context(surface)
    body = 11
    width = AW - 100

    handout_frame(cr, 1)
    y = 100
    text(cr, 50, y, "Sampling and aliasing", 24, INK, bold=True)
    y += 34
    y = paragraph(cr, 50, y, "A sampler measures a continuous signal x(t) every T seconds and "
                  "keeps only those values, x[n] = x(nT). The sample rate is fs = 1/T. "
                  "Everything that happens between two samples is lost, so two different "
                  "signals that agree at every sampling instant give the same samples.",
                  body, width, GREY) + 10
    y = heading(cr, y, "1. The sampling theorem")
    y = paragraph(cr, 50, y, "A signal whose highest frequency is f_max can be rebuilt "
                  "exactly from its samples when fs > 2 · f_max. The bound 2 · f_max is the "
                  "Nyquist rate; fs / 2 is the Nyquist frequency.", body, width, INK) + 10
    y = heading(cr, y, "2. Aliasing")
    y = paragraph(cr, 50, y, "A tone above fs / 2 does not disappear: it shows up at "
                  "|f − k · fs| for the whole k that brings it nearest to zero. It is then "
                  "indistinguishable from a real tone at that frequency.", body, width, INK)
    y += 14
    # Table of aliases.
    cols = [50, 190, 330, 470]
    rows = [("tone f", "sample rate fs", "alias", "heard as"),
            ("3 kHz", "8 kHz", "—", "3 kHz"),
            ("7 kHz", "8 kHz", "|7 − 8| = 1 kHz", "1 kHz"),
            ("9 kHz", "8 kHz", "|9 − 8| = 1 kHz", "1 kHz"),
            ("25 kHz", "44.1 kHz", "|25 − 44.1| = 19.1 kHz", "19.1 kHz")]
    for i, row in enumerate(rows):
        if i == 0:
            cr.set_source_rgb(*LIGHT)
            cr.rectangle(46, y - 14, AW - 92, 20)
            cr.fill()
        for x, cell in zip(cols, row):
            text(cr, x, y, cell, body, NAVY if i == 0 else INK, bold=(i == 0))
        y += 22
    y += 14
    y = heading(cr, y, "3. In practice")
    for item in ["Put a low-pass (anti-aliasing) filter before the sampler.",
                 "Audio: 44.1 or 48 kHz covers human hearing (about 20 kHz).",
                 "Video samples time too: a spinning wheel can seem to turn backwards."]:
        text(cr, 58, y, "•", body, BLUE, bold=True)
        y = paragraph(cr, 72, y, item, body, width - 22, INK)
    # A small figure: the alias plot in miniature.
    y += 16
    fx0, fx1, axis, amp = 80, 515, y + 70, 45
    cr.set_source_rgb(0.97, 0.97, 0.99)
    cr.rectangle(50, y, AW - 100, 150)
    cr.fill()
    ms = lambda x: 2.0 * (x - fx0) / (fx1 - fx0)  # noqa: E731
    cr.set_source_rgb(0.6, 0.62, 0.68)
    cr.set_line_width(0.8)
    curve(cr, lambda x: axis - amp * math.cos(2 * math.pi * 7 * ms(x)), fx0, fx1, 900)
    cr.stroke()
    cr.set_source_rgb(*RED)
    cr.set_line_width(1.6)
    cr.set_dash([5, 3])
    curve(cr, lambda x: axis - amp * math.cos(2 * math.pi * ms(x)), fx0, fx1)
    cr.stroke()
    cr.set_dash([])
    for n in range(17):
        cr.set_source_rgb(*ORANGE)
        cr.arc(fx0 + n * (fx1 - fx0) / 16, axis - amp * math.cos(2 * math.pi * n / 8), 3.5, 0,
               2 * math.pi)
        cr.fill()
    text(cr, AW / 2, y + 140, "Figure 1. A 7 kHz tone (grey) sampled at 8 kHz (dots) "
         "fits a 1 kHz tone (red).", 9, GREY, align="centre", italic=True)
    cr.show_page()

    handout_frame(cr, 2)
    y = 100
    text(cr, 50, y, "Exercises", 24, INK, bold=True)
    y += 36
    exercises = [
        ("3.1", "A microphone signal contains frequencies up to 6 kHz. What is its Nyquist "
                "rate? Would a sample rate of 11.025 kHz do?"),
        ("3.2", "A 13 kHz tone is sampled at 16 kHz. At which frequency does it appear? "
                "Sketch the tone, the samples and the alias over 1 ms."),
        ("3.3", "A film runs at 24 frames per second and shows a wheel with 6 spokes turning "
                "at 5 revolutions per second. How fast, and which way, does it seem to turn?"),
        ("3.4", "Design the anti-aliasing filter for a 48 kHz recorder: where would you put "
                "its cut-off, and why not exactly at 24 kHz?"),
    ]
    for number, question in exercises:
        text(cr, 50, y, number, 12, BLUE, bold=True)
        y = paragraph(cr, 86, y, question, 12, width - 36, INK, leading=1.4) + 8
        cr.set_source_rgb(0.88, 0.90, 0.93)
        cr.set_line_width(0.8)
        for _ in range(2):
            y += 20
            cr.move_to(86, y)
            cr.line_to(AW - 50, y)
            cr.stroke()
        y += 26
    text(cr, 50, y, "Due Friday, 18:00 — hand in on the course page.", 12, RED, bold=True)
    y += 40
    # Formula sheet.
    cr.set_source_rgb(*LIGHT)
    rounded(cr, 50, y, AW - 100, 150, 8)
    cr.fill()
    text(cr, 66, y + 28, "Formula sheet", 14, NAVY, bold=True)
    yy = y + 56
    for line in ["T = 1 / fs", "x[n] = x(nT)", "Nyquist rate: 2 · f_max     Nyquist frequency: fs / 2",
                 "alias of f: |f − k · fs|,  k = round(f / fs)"]:
        text(cr, 76, yy, line, 12, INK, family=MONO)
        yy += 22
    cr.show_page()
    surface.finish()


# --------------------------------------------------------------------------------------------
# Plot (PNG): the 7 kHz tone, its 8 kHz samples, the 1 kHz alias
# --------------------------------------------------------------------------------------------
def make_plot(path):
    w, h = 960, 640
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, w, h)
    cr = cairo.Context(surface)
    cr.set_source_rgb(1, 1, 1)
    cr.paint()
    text(cr, w / 2, 58, "A 7 kHz tone sampled at 8 kHz", 38, INK, bold=True, align="centre")
    x0, x1, top, bottom = 130, 920, 110, 520
    axis, amp = (top + bottom) / 2, (bottom - top) / 2 - 20
    ms = lambda x: 1.0 * (x - x0) / (x1 - x0)  # 1 ms across  # noqa: E731
    # Grid and axes.
    cr.set_source_rgb(0.90, 0.91, 0.94)
    cr.set_line_width(1.5)
    for i in range(11):
        x = x0 + i * (x1 - x0) / 10
        cr.move_to(x, top)
        cr.line_to(x, bottom)
    for v in (-1, -0.5, 0.5, 1):
        cr.move_to(x0, axis - v * amp)
        cr.line_to(x1, axis - v * amp)
    cr.stroke()
    cr.set_source_rgb(*INK)
    cr.set_line_width(2.5)
    cr.move_to(x0, top)
    cr.line_to(x0, bottom)
    cr.move_to(x0, axis)
    cr.line_to(x1, axis)
    cr.stroke()
    for i in range(0, 11, 2):
        x = x0 + i * (x1 - x0) / 10
        text(cr, x, bottom + 34, f"{i / 10:.1f}", 24, GREY, align="centre")
    for v in (-1, 0, 1):
        text(cr, x0 - 14, axis - v * amp + 9, f"{v:+d}" if v else "0", 24, GREY, align="right")
    text(cr, (x0 + x1) / 2, bottom + 76, "time (ms)", 28, INK, align="centre")
    cr.save()
    cr.translate(40, axis)
    cr.rotate(-math.pi / 2)
    text(cr, 0, 0, "amplitude", 28, INK, align="centre")
    cr.restore()
    # Curves and samples.
    cr.set_source_rgb(0.58, 0.60, 0.67)
    cr.set_line_width(3)
    curve(cr, lambda x: axis - amp * math.cos(2 * math.pi * 7 * ms(x)), x0, x1, 1200)
    cr.stroke()
    cr.set_source_rgb(*RED)
    cr.set_line_width(6)
    cr.set_dash([18, 10])
    curve(cr, lambda x: axis - amp * math.cos(2 * math.pi * ms(x)), x0, x1)
    cr.stroke()
    cr.set_dash([])
    for n in range(9):
        x = x0 + n * (x1 - x0) / 8
        cr.set_source_rgb(*ORANGE)
        cr.arc(x, axis - amp * math.cos(2 * math.pi * n / 8), 13, 0, 2 * math.pi)
        cr.fill()
    # Labels on the curves, on white cards so that the grey tone does not cross them.
    def label(x, y, s, colour):
        font(cr, 30, True)
        ext = cr.text_extents(s)
        cr.set_source_rgba(1, 1, 1, 0.92)
        rounded(cr, x - 10, y - 34, ext.x_advance + 20, 46, 8)
        cr.fill()
        cr.set_source_rgb(*colour)
        cr.set_line_width(2.5)
        rounded(cr, x - 10, y - 34, ext.x_advance + 20, 46, 8)
        cr.stroke()
        text(cr, x, y, s, 30, colour, bold=True)

    label(x0 + (x1 - x0) * 0.36, axis - amp * 0.45, "1 kHz alias", RED)
    label(x0 + (x1 - x0) * 0.08, axis + amp * 0.62, "7 kHz tone", (0.40, 0.42, 0.48))
    label(x0 + (x1 - x0) * 0.25 + 26, axis + 12, "samples", ORANGE)
    surface.write_to_png(path)


# --------------------------------------------------------------------------------------------
# Code editor (screen share): chrome.png and code.png
# --------------------------------------------------------------------------------------------
EDITOR_TOP, EDITOR_BOTTOM = 76, 500   # the code area of chrome.png; the terminal is below
CODE = '''"""Aliasing demo for SIG101, week 3.

Samples a pure tone and prints the frequency that the samples
really show. Run: python3 aliasing_demo.py
"""
import math

RATE_HZ = 8000          # the sampler: 8 kHz, like a telephone line
TONES_HZ = [1000, 3000, 5000, 7000, 9000]


def sample(freq_hz, rate_hz, n):
    """n samples of cos(2 pi f t), taken rate_hz times a second."""
    return [math.cos(2 * math.pi * freq_hz * k / rate_hz)
            for k in range(n)]


def alias(freq_hz, rate_hz):
    """The frequency in [0, rate/2] that the samples look like."""
    f = freq_hz % rate_hz
    return rate_hz - f if f > rate_hz / 2 else f


def same_samples(a, b, tolerance=1e-9):
    return all(abs(x - y) < tolerance for x, y in zip(a, b))


def main():
    print(f"sample rate {RATE_HZ} Hz, Nyquist {RATE_HZ // 2} Hz")
    for tone in TONES_HZ:
        heard = alias(tone, RATE_HZ)
        check = same_samples(sample(tone, RATE_HZ, 64),
                             sample(heard, RATE_HZ, 64))
        note = "ok" if heard == tone else "ALIAS"
        print(f"{tone:>6} Hz -> {heard:>6} Hz  {note}"
              f"  (same samples: {check})")


if __name__ == "__main__":
    main()
'''
KEYWORDS = {"import", "def", "return", "for", "in", "if", "else", "print", "all", "abs",
            "range", "zip", "__name__", "True", "False"}


def code_tokens(line):
    """(colour, text) pieces of one line of Python: comments, strings, keywords, numbers."""
    out, i = [], 0
    while i < len(line):
        c = line[i]
        if c == "#":
            out.append(((0.42, 0.60, 0.33), line[i:]))
            break
        if c in "\"'" or (c == "f" and i + 1 < len(line) and line[i + 1] in "\"'"):
            start = i
            if c == "f":
                i += 1
            quote = line[i]
            j = line.find(quote, i + 1)
            j = len(line) - 1 if j < 0 else j
            out.append(((0.81, 0.57, 0.47), line[start:j + 1]))
            i = j + 1
            continue
        if c.isalpha() or c == "_":
            j = i
            while j < len(line) and (line[j].isalnum() or line[j] == "_"):
                j += 1
            word = line[i:j]
            colour = ((0.34, 0.61, 0.84) if word in KEYWORDS else
                      (0.86, 0.86, 0.67) if j < len(line) and line[j] == "(" else
                      (0.61, 0.86, 0.99))
            out.append((colour, word))
            i = j
            continue
        if c.isdigit():
            j = i
            while j < len(line) and (line[j].isalnum() or line[j] in "._"):
                j += 1
            out.append(((0.71, 0.81, 0.66), line[i:j]))
            i = j
            continue
        out.append(((0.83, 0.83, 0.83), c))
        i += 1
    return out


def make_editor(out_dir):
    w, h = 1280, 720
    line_h, size = 26, 18
    # Docstrings are one colour: mark the lines inside the module docstring.
    lines = CODE.rstrip("\n").split("\n")
    doc_end = next(i for i, l in enumerate(lines) if i > 0 and l.startswith('"""'))

    code_h = 20 + len(lines) * line_h + 20
    code = cairo.ImageSurface(cairo.FORMAT_RGB24, w, code_h)
    cr = cairo.Context(code)
    cr.set_source_rgb(0.118, 0.118, 0.118)
    cr.paint()
    cr.set_source_rgb(0.145, 0.145, 0.149)
    cr.rectangle(0, 0, 64, code_h)
    cr.fill()
    font(cr, size, family=MONO)
    char_w = cr.text_extents("m").x_advance
    for n, line in enumerate(lines):
        y = 20 + n * line_h + size
        text(cr, 50, y, str(n + 1), size - 2, (0.52, 0.52, 0.52), family=MONO, align="right")
        x = 84
        pieces = [((0.81, 0.57, 0.47), line)] if n <= doc_end else code_tokens(line)
        for colour, piece in pieces:
            text(cr, x, y, piece, size, colour, family=MONO)
            x += char_w * len(piece)
    code.write_to_png(os.path.join(out_dir, "code.png"))

    chrome = cairo.ImageSurface(cairo.FORMAT_RGB24, w, h)
    cr = cairo.Context(chrome)
    cr.set_source_rgb(0.118, 0.118, 0.118)
    cr.paint()
    # Title bar with window buttons, then a tab bar.
    cr.set_source_rgb(0.20, 0.20, 0.21)
    cr.rectangle(0, 0, w, 36)
    cr.fill()
    for i, colour in enumerate([(0.93, 0.36, 0.33), (0.96, 0.75, 0.25), (0.38, 0.78, 0.33)]):
        cr.set_source_rgb(*colour)
        cr.arc(22 + i * 22, 18, 7, 0, 2 * math.pi)
        cr.fill()
    text(cr, w / 2, 24, "aliasing_demo.py — sig101-week3 — Editor", 15, (0.80, 0.80, 0.80),
         align="centre")
    cr.set_source_rgb(0.15, 0.15, 0.15)
    cr.rectangle(0, 36, w, 40)
    cr.fill()
    cr.set_source_rgb(0.118, 0.118, 0.118)
    cr.rectangle(0, 36, 210, 40)
    cr.fill()
    cr.set_source_rgb(0.30, 0.55, 0.95)
    cr.rectangle(0, 36, 210, 2)
    cr.fill()
    text(cr, 20, 62, "aliasing_demo.py", 15, (0.95, 0.95, 0.95))
    text(cr, 232, 62, "notes.md", 15, (0.60, 0.60, 0.60))
    # Terminal panel.
    cr.set_source_rgb(0.09, 0.09, 0.09)
    cr.rectangle(0, EDITOR_BOTTOM, w, h - EDITOR_BOTTOM)
    cr.fill()
    cr.set_source_rgb(0.27, 0.27, 0.27)
    cr.rectangle(0, EDITOR_BOTTOM, w, 1)
    cr.fill()
    text(cr, 20, EDITOR_BOTTOM + 26, "TERMINAL", 13, (0.90, 0.90, 0.90), bold=True)
    text(cr, 120, EDITOR_BOTTOM + 26, "PROBLEMS    OUTPUT", 13, (0.55, 0.55, 0.55))
    text(cr, 20, EDITOR_BOTTOM + 60, "layla@sig101:~/week3$", 17, (0.38, 0.78, 0.33),
         family=MONO)
    # Status bar.
    cr.set_source_rgb(0.0, 0.48, 0.80)
    cr.rectangle(0, h - 24, w, 24)
    cr.fill()
    text(cr, 12, h - 7, "main ✓   Python 3.11   UTF-8   Ln 42, Col 1", 13, (1, 1, 1))
    chrome.write_to_png(os.path.join(out_dir, "chrome.png"))


# --------------------------------------------------------------------------------------------
# Wagon wheel (PNG with alpha), for the video clip
# --------------------------------------------------------------------------------------------
def make_wheel(path):
    s = 300
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, s, s)
    cr = cairo.Context(surface)
    c = s / 2
    cr.set_source_rgb(0.36, 0.22, 0.10)
    cr.set_line_width(16)
    cr.arc(c, c, c - 12, 0, 2 * math.pi)
    cr.stroke()
    cr.set_source_rgb(0.55, 0.36, 0.18)
    cr.set_line_width(5)
    cr.arc(c, c, c - 24, 0, 2 * math.pi)
    cr.stroke()
    cr.set_line_width(12)
    cr.set_line_cap(cairo.LINE_CAP_ROUND)
    for i in range(8):
        a = i * math.pi / 4
        cr.move_to(c + 22 * math.cos(a), c + 22 * math.sin(a))
        cr.line_to(c + (c - 22) * math.cos(a), c + (c - 22) * math.sin(a))
        cr.stroke()
    cr.set_source_rgb(0.30, 0.18, 0.08)
    cr.arc(c, c, 28, 0, 2 * math.pi)
    cr.fill()
    cr.set_source_rgb(0.75, 0.75, 0.78)
    cr.arc(c, c, 10, 0, 2 * math.pi)
    cr.fill()
    surface.write_to_png(path)


def main(argv):
    commands = {"slides": make_slides, "handout": make_handout, "plot": make_plot,
                "editor": make_editor, "wheel": make_wheel}
    if len(argv) != 3 or argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    commands[argv[1]](argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
