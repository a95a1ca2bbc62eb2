#!/usr/bin/python3
"""busy_events.py OUT.jsonl [SECONDS]: the events of the busy classroom (make-classroom --busy).

The worst case for the composer: for the whole session every pane changes all the time and
nothing is maximized, with the side bar open.

  pane 1   4 webcams (tracks cam-*/mic-* published at 0.5 s by make-classroom) and the
           wagon-wheel clip, re-issued with media.play every 14 s so that it loops
  pane 2   the week 3 slides: a new page every 10 s, an annotation every 3 s (every shape)
  pane 3   noteboard.update every 5 s
  pane 4   a whiteboard stroke every 2 s (freehand strokes of 40 points, every shape)
  side bar a chat message every 3 s (several scripts, emoji), notes.update every 6 s

Deterministic: the same file every run (a fixed random seed). Standard library only.
"""

import json
import math
import random
import sys

PEOPLE = [  # id, name, role, e-mail
    ("p-maria", "Maria Okonkwo", "host", "maria.okonkwo@northfield.example"),
    ("p-layla", "Layla حداد", "cohost", "layla.haddad@northfield.example"),
    ("p-aiko", "Aiko 山田", "attendee", "aiko.yamada@students.northfield.example"),
    ("p-ravi", "Ravi Kumar", "attendee", "ravi.kumar@students.northfield.example"),
]
CAMERAS = {"p-maria": "cam-maria", "p-layla": "cam-layla", "p-aiko": "cam-aiko",
           "p-ravi": "cam-ravi"}
MICS = {"p-maria": "mic-maria", "p-layla": "mic-layla", "p-aiko": "mic-aiko",
        "p-ravi": "mic-ravi"}
SLIDES, SLIDE_PAGES = "week3-slides.pdf", 4
CLIP, CLIP_S = "wagon-wheel.webm", 14.0
COLOURS = ["#e53935", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#212121"]
SHAPES = ["pen", "highlighter", "line", "arrow", "rect", "ellipse", "text"]
CHAT = [
    ("p-maria", "Let's keep the pace up today 🚀"),
    ("p-layla", "الشريحة التالية من فضلك 📄"),
    ("p-aiko", "サンプリング周波数は8kHzですね？"),
    ("p-ravi", "नमूना दर = sample rate 👍"),
    ("p-maria", "Yes: fs = 8 kHz, so f_max must stay under 4 kHz."),
    ("p-layla", "The clip shows the wagon-wheel effect 🎡"),
    ("p-aiko", "逆回転して見えます！"),
    ("p-ravi", "Is 44.1 kHz enough for 20 kHz? 🤔"),
    ("p-maria", "It is: 44.1 > 2 × 20 ✅"),
    ("p-layla", "سؤال رائع يا رافي 👏"),
]
NOTEBOARD = ["Week 3 — live board", "fs > 2 × f_max", "7 kHz @ 8 kHz → 1 kHz",
             "サンプリング定理", "معدل نايكويست", "Filter before the sampler",
             "नमूना दर", "44.1 kHz covers 20 kHz", "Wagon wheel: 30 fps, 8 spokes",
             "Alias = |f − k·fs|", "Homework 3.1–3.4", "Questions? 🙋"]


def r3(v):
    return round(min(1.0, max(0.0, v)), 3)


def stroke_points(rng, n=40):
    """A freehand stroke: a wobbly curve across part of the surface."""
    x, y = rng.uniform(0.05, 0.6), rng.uniform(0.1, 0.9)
    dx, amp, phase = rng.uniform(0.008, 0.01), rng.uniform(0.02, 0.1), rng.uniform(0, 6.3)
    return [[r3(x + i * dx), r3(y + amp * math.sin(phase + i / 4))] for i in range(n)]


def shape(rng, kind, n_text):
    """The fields of an annotation or whiteboard shape of this kind."""
    colour = rng.choice(COLOURS)
    if kind in ("pen", "highlighter"):
        return {"shape": kind, "color": "#ffd600" if kind == "highlighter" else colour,
                "width": 0.03 if kind == "highlighter" else 0.004,
                "points": stroke_points(rng)}
    if kind == "text":
        x, y = rng.uniform(0.05, 0.6), rng.uniform(0.1, 0.85)
        return {"shape": "text", "color": colour, "width": 0.005, "points": [[r3(x), r3(y)]],
                "text": NOTEBOARD[n_text % len(NOTEBOARD)]}
    x, y = rng.uniform(0.05, 0.7), rng.uniform(0.1, 0.75)
    w, h = rng.uniform(0.08, 0.25), rng.uniform(0.08, 0.2)
    return {"shape": kind, "color": colour, "width": 0.004,
            "points": [[r3(x), r3(y)], [r3(x + w), r3(y + h)]]}


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    end = float(argv[2]) if len(argv) == 3 else 60.0
    rng = random.Random(20240603)
    events = []  # (t, order, event)

    def add(t, type_, **fields):
        events.append((round(t, 3), len(events), {"t": round(t, 3), "type": type_, **fields}))

    add(0.0, "layout", webcams="filmstrip", maximized=None, sidebar="open")
    for i, (pid, name, role, user) in enumerate(PEOPLE):
        add(0.0 + 0.1 * i, "participant.join", id=pid, name=name, role=role, user=user)
    for pid, _, _, _ in PEOPLE:
        add(0.5, "track.publish", track=CAMERAS[pid], participant=pid, kind="video",
            source="camera")
        add(0.5, "track.publish", track=MICS[pid], participant=pid, kind="audio",
            source="microphone")

    # Pane 2: a page every 10 s, an annotation every 3 s on the page shown.
    t, page = 0.5, 1
    while t < end:
        add(t, "presentation.show", asset=SLIDES, page=page)
        page = page % SLIDE_PAGES + 1
        t += 10
    n = 0
    t = 1.5
    while t < end:
        add(t, "annotation.add", id=f"a{n}", **shape(rng, SHAPES[n % len(SHAPES)], n))
        n += 1
        t += 3
    # Pane 1: the clip, again each time it ends.
    t = 0.8
    while t < end:
        add(t, "media.play", asset=CLIP)
        t += CLIP_S
    # Pane 3: the noteboard grows by a line every 5 s (at most 6 lines shown).
    t, lines = 1.0, []
    while t < end:
        lines.append(NOTEBOARD[len(lines) % len(NOTEBOARD)])
        add(t, "noteboard.update", text="\n".join(lines[-6:]))
        t += 5
    # Pane 4: a stroke every 2 s.
    n, t = 0, 1.2
    while t < end:
        add(t, "whiteboard.add", id=f"w{n}", **shape(rng, SHAPES[(n * 3) % len(SHAPES)], n))
        n += 1
        t += 2
    # Side bar: chat every 3 s, notes every 6 s.
    n, t = 0, 2.0
    while t < end:
        sender, text = CHAT[n % len(CHAT)]
        add(t, "chat.message", **{"from": sender, "text": text})
        n += 1
        t += 3
    n, t = 0, 3.0
    while t < end:
        n += 1
        notes = ["Week 3 — Signals (busy session)"] + [f"• point {i}: " + NOTEBOARD[i % len(
            NOTEBOARD)] for i in range(1, n + 1)]
        add(t, "notes.update", text="\n".join(notes[-8:]))
        t += 6
    add(end, "session.end")

    events.sort(key=lambda e: (e[0], e[1]))
    with open(argv[1], "w", encoding="utf-8") as f:
        for _, _, event in events:
            f.write(json.dumps(event, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
