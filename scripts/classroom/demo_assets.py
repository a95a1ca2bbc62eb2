#!/usr/bin/python3
"""demo_assets.py: the pictures of the live demo (scripts/demo), drawn with cairo.

  demo_assets.py slides OUT.pdf          3 slides, 16:9, for "Photosynthesis 101": title, the
                                         equation (with a leaf taking in light, water and CO2),
                                         the two stages (light reactions, Calvin cycle)
  demo_assets.py leaf   OUT.png          a labelled drawing of a leaf cell with chloroplasts
  demo_assets.py badge  OUT.png NAME ROLE  a 320x44 name band for a webcam picture

The helpers (text, bullets, arrows) are make_assets.py's, the classroom renderer's assets.
"""

import math
import os
import sys

import cairo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_assets import arrow, bullets, rounded, text  # noqa: E402

GREEN = (0.13, 0.45, 0.22)
LEAF = (0.36, 0.66, 0.26)
INK = (0.13, 0.15, 0.20)
GREY = (0.45, 0.48, 0.55)
SUN = (0.98, 0.72, 0.10)
WATER = (0.15, 0.45, 0.85)
SW, SH = 960, 540
PAGES = 3


def frame(cr, title, page):
    cr.set_source_rgb(1, 1, 1)
    cr.paint()
    cr.set_source_rgb(*GREEN)
    cr.rectangle(0, 0, SW, 92)
    cr.fill()
    cr.set_source_rgb(*SUN)
    cr.rectangle(0, 92, SW, 5)
    cr.fill()
    text(cr, 48, 62, title, 36, (1, 1, 1), bold=True)
    text(cr, 48, 526, "BIO 101 · Photosynthesis", 13, GREY)
    text(cr, SW - 48, 526, f"{page} / {PAGES}", 13, GREY, align="right")


def leaf_shape(cr, cx, cy, length, width, angle):
    cr.save()
    cr.translate(cx, cy)
    cr.rotate(angle)
    cr.move_to(-length / 2, 0)
    cr.curve_to(-length / 4, -width, length / 4, -width, length / 2, 0)
    cr.curve_to(length / 4, width, -length / 4, width, -length / 2, 0)
    cr.close_path()
    cr.set_source_rgb(*LEAF)
    cr.fill_preserve()
    cr.set_source_rgb(*GREEN)
    cr.set_line_width(3)
    cr.stroke()
    cr.move_to(-length / 2, 0)
    cr.line_to(length / 2, 0)
    for i in range(1, 5):
        x = -length / 2 + i * length / 5
        for side in (-1, 1):
            cr.move_to(x, 0)
            cr.line_to(x + length / 9, side * width * 0.55)
    cr.set_line_width(2)
    cr.stroke()
    cr.restore()


def sun(cr, x, y, r):
    cr.set_source_rgb(*SUN)
    cr.arc(x, y, r, 0, 2 * math.pi)
    cr.fill()
    cr.set_line_width(4)
    for i in range(12):
        a = i * math.pi / 6
        cr.move_to(x + math.cos(a) * (r + 8), y + math.sin(a) * (r + 8))
        cr.line_to(x + math.cos(a) * (r + 24), y + math.sin(a) * (r + 24))
    cr.stroke()


def slide_title(cr):
    grad = cairo.LinearGradient(0, 0, SW, SH)
    grad.add_color_stop_rgb(0, 0.06, 0.27, 0.14)
    grad.add_color_stop_rgb(1, 0.20, 0.50, 0.24)
    cr.set_source(grad)
    cr.paint()
    sun(cr, 820, 110, 46)
    leaf_shape(cr, 760, 380, 260, 90, -0.5)
    text(cr, 80, 200, "Photosynthesis 101", 60, (1, 1, 1), bold=True)
    text(cr, 82, 262, "How a leaf turns light into sugar", 30, (1, 0.88, 0.55))
    text(cr, 82, 330, "Ms. Rivera  ·  Mr. Chen", 20, (0.88, 0.95, 0.88))


def slide_equation(cr):
    frame(cr, "The equation", 2)
    text(cr, SW / 2, 170, "6 CO₂ + 6 H₂O + light  →  C₆H₁₂O₆ + 6 O₂", 34, INK, bold=True,
         align="centre")
    leaf_shape(cr, 480, 350, 300, 100, -0.15)
    sun(cr, 130, 270, 34)
    arrow(cr, 180, 290, 330, 330, SUN, 4, 16)
    text(cr, 150, 360, "light", 20, GREY)
    arrow(cr, 480, 490, 480, 420, WATER, 4, 16)
    text(cr, 492, 480, "water (roots)", 18, WATER)
    arrow(cr, 760, 250, 640, 320, GREY, 4, 16)
    text(cr, 700, 240, "CO₂ (air)", 18, GREY)
    arrow(cr, 640, 380, 800, 440, GREEN, 4, 16)
    text(cr, 770, 470, "O₂ + sugar", 18, GREEN, bold=True)


def slide_stages(cr):
    frame(cr, "Two stages", 3)
    for x, title, colour, items in (
            (56, "Light reactions", SUN, ["In the thylakoids", "Light splits water: O₂ out",
                                          "Makes ATP and NADPH"]),
            (500, "Calvin cycle", LEAF, ["In the stroma", "Fixes CO₂ from the air",
                                         "Uses ATP and NADPH to make sugar"])):
        cr.set_source_rgb(*colour)
        rounded(cr, x, 130, 404, 330, 18)
        cr.set_line_width(4)
        cr.stroke()
        text(cr, x + 24, 180, title, 28, INK, bold=True)
        bullets(cr, x + 24, 240, items, size=21, step=62, max_w=340)
    arrow(cr, 462, 300, 496, 300, INK, 3, 14)


def slides(out):
    surface = cairo.PDFSurface(out, SW, SH)
    cr = cairo.Context(surface)
    for draw in (slide_title, slide_equation, slide_stages):
        draw(cr)
        cr.show_page()
    surface.finish()


def leaf_cell(out):
    w, h = 800, 600
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, w, h)
    cr = cairo.Context(surface)
    cr.set_source_rgb(0.97, 0.99, 0.95)
    cr.paint()
    text(cr, 40, 60, "A leaf cell", 36, INK, bold=True)
    cr.set_source_rgb(0.80, 0.92, 0.70)
    rounded(cr, 120, 110, 560, 400, 60)
    cr.fill_preserve()
    cr.set_source_rgb(*GREEN)
    cr.set_line_width(8)
    cr.stroke()
    cr.set_source_rgb(0.70, 0.85, 0.95)
    rounded(cr, 300, 220, 220, 180, 50)
    cr.fill()
    text(cr, 410, 318, "vacuole", 20, WATER, align="centre")
    for i, (x, y) in enumerate([(190, 170), (270, 160), (600, 180), (620, 300), (590, 430),
                                (200, 440), (170, 330), (420, 450)]):
        cr.save()
        cr.translate(x, y)
        cr.rotate(i * 0.7)
        cr.scale(1.6, 1)
        cr.arc(0, 0, 20, 0, 2 * math.pi)
        cr.restore()
        cr.set_source_rgb(0.18, 0.55, 0.18)
        cr.fill()
    arrow(cr, 690, 140, 630, 170, INK, 3, 14)
    text(cr, 650, 128, "chloroplast", 20, INK)
    arrow(cr, 60, 560, 130, 490, INK, 3, 14)
    text(cr, 40, 585, "cell wall", 20, INK)
    surface.write_to_png(out)


def badge(out, name, role):
    w, h = 320, 44
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, w, h)
    cr = cairo.Context(surface)
    cr.set_source_rgba(0, 0, 0, 0.55)
    cr.paint()
    text(cr, 10, 24, name, 20, (1, 1, 1), bold=True)
    text(cr, 10, 40, role, 12, (0.85, 0.90, 0.97))
    surface.write_to_png(out)


def main(argv):
    if len(argv) == 3 and argv[1] == "slides":
        slides(argv[2])
    elif len(argv) == 3 and argv[1] == "leaf":
        leaf_cell(argv[2])
    elif len(argv) == 5 and argv[1] == "badge":
        badge(argv[2], argv[3], argv[4])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
