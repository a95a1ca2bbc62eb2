#!/usr/bin/python3
"""describe_events.py BUNDLE [ROOM]: what each pane of a room shows, read from events.jsonl.

A short summary for scripts/render-demo, one line per area, e.g.

  pane 1   4 webcams (Maria Okonkwo, ...); media 61.0-77.0 s: wagon-wheel.webm (play, pause, ...)
  pane 2   slides week3-slides.pdf 5.0 s (pages 1, 2, 3, 4), 11 annotations (...); ...

It reads the events only (what the platform asked for), not the rendered picture.
Standard library only.
"""

import json
import os
import sys
from collections import Counter, OrderedDict


def seconds(t):
    return f"{t:.1f}"


def describe(bundle, room="main"):
    events = []
    with open(os.path.join(bundle, "events.jsonl"), encoding="utf-8-sig") as f:
        for line in f:
            if line.strip():
                events.append(json.loads(line))
    session = {"participant.join", "participant.leave", "participant.move",
               "participant.role", "presenter.change", "room.open", "room.close",
               "session.end"}
    mine = [e for e in events
            if e["type"] in session or (e.get("room") or "main") == room]

    lines = OrderedDict((k, []) for k in ("pane 1", "pane 2", "pane 3", "pane 4", "layout",
                                          "side bar"))
    # Pane 1.
    names = OrderedDict()
    cameras = set()
    for e in mine:
        if e["type"] == "participant.join" and (e.get("room") or "main") == room:
            names[e["id"]] = e["name"]
        if e["type"] == "track.publish" and e["source"] == "camera":
            cameras.add(e["participant"])
    with_camera = [names[p] for p in names if p in cameras]
    if with_camera:
        lines["pane 1"].append(f"{len(with_camera)} webcams ({', '.join(with_camera)})")
    media = [e for e in mine if e["type"].startswith("media.")]
    if media:
        assets = sorted({e["asset"] for e in media if "asset" in e})
        verbs = ", ".join(e["type"].split(".")[1] for e in media[:6])
        more = f", ... ({len(media)} events)" if len(media) > 6 else ""
        lines["pane 1"].append(f"media {seconds(media[0]['t'])}-{seconds(media[-1]['t'])} s: "
                               f"{', '.join(assets)} ({verbs}{more})")
    streams = [e for e in mine if e["type"].startswith("stream.")]
    if streams:
        lines["pane 1"].append(f"stream from {seconds(streams[0]['t'])} s")

    # Pane 2: one entry per asset shown, in order, with the pages seen.
    shown = OrderedDict()
    for e in mine:
        if e["type"] in ("presentation.show", "document.show"):
            kind = "slides" if e["type"] == "presentation.show" else "document"
            entry = shown.setdefault((kind, e["asset"]), {"t": e["t"], "pages": []})
            page = e.get("page") or 1
            if page not in entry["pages"]:
                entry["pages"].append(page)
    for (kind, asset), entry in shown.items():
        pages = ", ".join(str(p) for p in sorted(entry["pages"]))
        lines["pane 2"].append(f"{kind} {asset} from {seconds(entry['t'])} s (pages {pages})")
    annotations = Counter(e["shape"] for e in mine if e["type"] == "annotation.add")
    if annotations:
        removed = sum(e["type"] == "annotation.remove" for e in mine)
        cleared = sum(e["type"] == "annotation.clear" for e in mine)
        lines["pane 2"].append(f"{sum(annotations.values())} annotations "
                               f"({', '.join(sorted(annotations))}), {removed} removed, "
                               f"{cleared} page clear{'' if cleared == 1 else 's'}")
    starts = [e["t"] for e in mine if e["type"] == "screenshare.start"]
    stops = [e["t"] for e in mine if e["type"] == "screenshare.stop"]
    for i, t in enumerate(starts):
        end = f"-{seconds(stops[i])}" if i < len(stops) else ""
        lines["pane 2"].append(f"screen share {seconds(t)}{end} s")

    # Pane 3.
    notes = [e for e in mine if e["type"] == "noteboard.update"]
    if notes:
        lines["pane 3"].append(f"noteboard from {seconds(notes[0]['t'])} s "
                               f"({len(notes)} updates)")
    for e in mine:
        if e["type"] == "image.show":
            hide = next((h["t"] for h in mine if h["type"] == "image.hide" and h["t"] >= e["t"]),
                        None)
            span = f"{seconds(e['t'])}-{seconds(hide)}" if hide is not None else seconds(e["t"])
            lines["pane 3"].append(f"image {e['asset']} {span} s")

    # Pane 4.
    shapes = Counter(e["shape"] for e in mine if e["type"] == "whiteboard.add")
    if shapes:
        removed = sum(e["type"] == "whiteboard.remove" for e in mine)
        clears = [seconds(e["t"]) for e in mine if e["type"] == "whiteboard.clear"]
        first = next(e["t"] for e in mine if e["type"] == "whiteboard.add")
        lines["pane 4"].append(
            f"whiteboard from {seconds(first)} s: {sum(shapes.values())} shapes "
            f"({', '.join(sorted(shapes))}), {removed} removed"
            + (f", cleared at {', '.join(clears)} s" if clears else ""))

    # Layout and side bar.
    for e in mine:
        if e["type"] == "layout":
            change = ", ".join(f"{k} {'none' if e[k] is None else e[k]}"
                               for k in ("webcams", "maximized", "sidebar") if k in e)
            lines["layout"].append(f"{seconds(e['t'])} s {change}")
    chat = [e for e in mine if e["type"] == "chat.message" and not e.get("to")]
    if chat:
        lines["side bar"].append(f"{len(chat)} public chat messages")
    notes_updates = sum(e["type"] == "notes.update" for e in mine)
    if notes_updates:
        lines["side bar"].append(f"{notes_updates} notes updates")

    out = []
    for area, parts in lines.items():
        if parts:
            sep = "; " if area != "layout" else " | "
            out.append(f"{area:<9}{sep.join(parts)}")
    return out


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    for line in describe(argv[1], argv[2] if len(argv) == 3 else "main"):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
