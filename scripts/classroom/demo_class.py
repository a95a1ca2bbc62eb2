"""demo_class.py: the class that scripts/demo plays into `ssr serve`, in real time.

"Photosynthesis 101": Ms. Rivera (host), Mr. Chen (co-host), Sam and Alex (attendees). Every
step happens at a fraction of the class length (SSR_DEMO_CLASS_SECONDS, 120 s by default):

  0.00-0.04  everyone joins the main room with a webcam and a microphone (RTP); the first
             event starts the main room's recording (AutoStart)
  0.01-0.32  slides (a PDF asset) with annotations, chat, noteboard, whiteboard, an image,
             shared notes, grid layout, a maximized pane
  0.34       breakout room "Leaf lab" opens with auto-record; Mr. Chen and Alex move there
  0.45       Ms. Rivera visits the Leaf lab: no host left in the main room, its recording
             pauses (end of part 1)
  0.60       she comes back: part 2 begins
  0.80       the Leaf lab closes (its recording stops); Mr. Chen and Alex are back
  1.00       the end (scripts/demo stops the recording)

A participant's tracks end when they change rooms; they publish new ones in the room they
reach (cam-<who>-<n>, mic-<who>-<n>), as a client of the platform does.
"""

import os
import time

from demo_api import quote
from demo_media import Publisher, rtp_sdp

SESSION_ID = "photosynthesis-101"
TITLE = "Photosynthesis 101"
BREAKOUT = "leaf-lab"
SLIDES = "photosynthesis.pdf"
IMAGE = "leaf-cell.png"

PEOPLE = {
    "rivera": {"id": "p-rivera", "name": "Ms. Rivera", "email": "host@example.org", "role": "host",
               "colour": "1565C0", "motion": "wavy", "voice": "en-us+f3"},
    "chen": {"id": "p-chen", "name": "Mr. Chen", "email": "cohost@example.org", "role": "cohost",
             "colour": "2E7D32", "motion": "sweep", "voice": "en-gb"},
    "sam": {"id": "p-sam", "name": "Sam", "email": "student1@example.org", "role": "attendee",
            "colour": "8E24AA", "motion": "hsweep", "voice": "en-us"},
    "alex": {"id": "p-alex", "name": "Alex", "email": "student2@example.org", "role": "attendee",
             "colour": "EF6C00", "motion": "wavy", "voice": "en-gb+f2"},
}
ROLE_LABEL = {"host": "Host", "cohost": "Co-host", "attendee": "Attendee"}

SPEECH = [
    (0.01, "rivera", "Good morning everyone. Today we talk about photosynthesis."),
    (0.08, "rivera", "Plants take carbon dioxide and water, and with light they make sugar."),
    (0.13, "alex", "Where does the oxygen come from?"),
    (0.18, "chen", "It comes from the water."),
    (0.29, "sam", "So the chloroplasts are where it happens?"),
    (0.35, "rivera", "Yes. Mister Chen and Alex, please go to the leaf lab."),
    (0.39, "chen", "Welcome to the leaf lab. Let us count chloroplasts."),
    (0.46, "rivera", "Hello leaf lab. How is it going?"),
    (0.51, "alex", "We counted eight chloroplasts."),
    (0.61, "rivera", "I am back. Sam, any questions?"),
    (0.65, "sam", "What does the Calvin cycle make?"),
    (0.70, "rivera", "Sugar, with the energy of the light reactions."),
    (0.83, "alex", "We are back from the lab."),
    (0.92, "rivera", "Homework: label the parts of a chloroplast. Thank you all."),
]


def chat(who, text, room=None):
    e = {"type": "chat.message", "from": PEOPLE[who]["id"], "text": text}
    if room:
        e["room"] = room
    return e


def shape(kind, sid, colour, width, points, text=None, room=None, board="whiteboard"):
    e = {"type": f"{board}.add", "id": sid, "shape": kind, "color": colour, "width": width,
         "points": points}
    if text:
        e["text"] = text
    if room:
        e["room"] = room
    return e


def note(sid, kind, colour, width, points, text=None):
    return shape(kind, sid, colour, width, points, text, board="annotation")


# (fraction of the class, what): ("join", who) | ("move", who, room) | ("close", room) |
# ("events", [event, ...]). Events without "room" happen in the main room.
TIMELINE = [
    (0.00, ("join", "rivera")),
    (0.005, ("events", [{"type": "presentation.show", "asset": SLIDES, "page": 1},
                        {"type": "notes.update", "text": "Photosynthesis 101 — class notes"}])),
    (0.01, ("join", "chen")),
    (0.02, ("join", "sam")),
    (0.03, ("join", "alex")),
    (0.04, ("events", [chat("rivera", "Good morning! Today: photosynthesis 🌱")])),
    (0.06, ("events", [chat("sam", "Morning, Ms. Rivera!"), chat("alex", "Hi everyone 👋")])),
    (0.08, ("events", [{"type": "presentation.show", "asset": SLIDES, "page": 2},
                       note("a-sun", "ellipse", "#e53935", 0.004, [[0.08, 0.40], [0.20, 0.62]])])),
    (0.10, ("events", [note("a-eq", "highlighter", "#ffd600", 0.03, [[0.13, 0.30], [0.87, 0.30]]),
                       note("a-light", "text", "#c62828", 0.004, [[0.10, 0.72]], "light energy"),
                       note("a-arrow", "arrow", "#c62828", 0.003, [[0.62, 0.65], [0.80, 0.80]])])),
    (0.12, ("events", [chat("alex", "Where does the oxygen come from?")])),
    (0.13, ("events", [{"type": "noteboard.update",
                        "text": "In: CO₂ + H₂O + light\nOut: sugar + O₂"}])),
    (0.15, ("events", [shape("text", "w-title", "#1a237e", 0.009, [[0.04, 0.05]], "Leaf = sugar factory"),
                       shape("rect", "w-leaf", "#2e7d32", 0.004, [[0.10, 0.30], [0.55, 0.80]])])),
    (0.17, ("events", [shape("arrow", "w-co2", "#455a64", 0.004, [[0.90, 0.40], [0.57, 0.50]]),
                       shape("text", "w-co2-label", "#455a64", 0.007, [[0.68, 0.30]], "CO₂ in"),
                       shape("pen", "w-sun", "#f9a825", 0.005,
                             [[0.30, 0.20], [0.33, 0.12], [0.36, 0.20], [0.39, 0.12], [0.42, 0.20]])])),
    (0.18, ("events", [chat("chen", "Good question, Alex — from the water! 💧")])),
    (0.20, ("events", [{"type": "image.show", "asset": IMAGE},
                       shape("ellipse", "w-o2", "#1565c0", 0.004, [[0.60, 0.65], [0.85, 0.90]]),
                       shape("text", "w-o2-label", "#1565c0", 0.007, [[0.64, 0.74]], "O₂ out")])),
    (0.22, ("events", [{"type": "layout", "webcams": "grid"}])),
    (0.24, ("events", [{"type": "presentation.show", "asset": SLIDES, "page": 3},
                       note("a-thyl", "rect", "#f9a825", 0.004, [[0.06, 0.24], [0.48, 0.86]]),
                       note("a-stroma", "pen", "#2e7d32", 0.005,
                            [[0.55, 0.90], [0.65, 0.93], [0.75, 0.92], [0.85, 0.90]])])),
    (0.26, ("events", [{"type": "layout", "maximized": 2}])),
    (0.29, ("events", [chat("sam", "So the chloroplasts are where it happens?"),
                       {"type": "layout", "maximized": None}])),
    (0.32, ("events", [{"type": "image.hide"},
                       {"type": "noteboard.update",
                        "text": "Light reactions: thylakoids\nCalvin cycle: stroma"}])),
    (0.34, ("events", [{"type": "room.open", "id": BREAKOUT, "name": "Leaf lab", "auto_record": True},
                       chat("rivera", "Mr. Chen and Alex: please join the Leaf lab breakout room")])),
    (0.36, ("move", "chen", BREAKOUT)),
    (0.37, ("move", "alex", BREAKOUT)),
    (0.39, ("events", [chat("chen", "Welcome to the Leaf lab 🔬 Let's count chloroplasts", BREAKOUT),
                       {"type": "presentation.show", "asset": IMAGE, "room": BREAKOUT},
                       {"type": "noteboard.update", "text": "Leaf lab\nChloroplasts counted: ?",
                        "room": BREAKOUT}])),
    (0.41, ("events", [chat("sam", "Is the Calvin cycle also in the leaf?"),
                       shape("text", "w-q", "#6a1b9a", 0.007, [[0.05, 0.88]], "Calvin cycle → stroma")])),
    (0.43, ("events", [shape("ellipse", "b-count", "#e53935", 0.004, [[0.2, 0.2], [0.5, 0.5]],
                             room=BREAKOUT),
                       chat("alex", "I see 8 green blobs", BREAKOUT)])),
    (0.45, ("move", "rivera", BREAKOUT)),
    (0.46, ("events", [chat("rivera", "Checking in on the Leaf lab 👋", BREAKOUT)])),
    (0.50, ("events", [chat("alex", "We counted 8 chloroplasts!", BREAKOUT),
                       {"type": "noteboard.update", "text": "Leaf lab\nChloroplasts counted: 8",
                        "room": BREAKOUT}])),
    (0.54, ("events", [shape("text", "b-result", "#2e7d32", 0.008, [[0.1, 0.7]], "8 chloroplasts",
                             room=BREAKOUT),
                       chat("sam", "Waiting in the main room 🙂")])),
    (0.60, ("move", "rivera", "main")),
    (0.61, ("events", [chat("rivera", "I'm back. Sam, any questions?")])),
    (0.64, ("events", [chat("sam", "What does the Calvin cycle make?"),
                       {"type": "presentation.show", "asset": SLIDES, "page": 2}])),
    (0.67, ("events", [note("a-sugar", "rect", "#2e7d32", 0.004, [[0.55, 0.22], [0.80, 0.36]]),
                       {"type": "notes.update",
                        "text": "Photosynthesis 101 — class notes\n• 6 CO₂ + 6 H₂O + light → sugar + 6 O₂\n"
                                "• O₂ comes from water\n• Calvin cycle makes sugar"}])),
    (0.70, ("events", [chat("rivera", "Sugar! Using the energy of the light reactions ☀️")])),
    (0.74, ("events", [chat("chen", "Leaf lab: two minutes left ⏳", BREAKOUT)])),
    (0.80, ("close", BREAKOUT)),
    (0.83, ("events", [chat("alex", "We're back from the lab!"),
                       {"type": "layout", "sidebar": "minimized"}])),
    (0.86, ("events", [{"type": "layout", "sidebar": "open"},
                       {"type": "whiteboard.clear"},
                       shape("text", "hw-title", "#1a237e", 0.011, [[0.05, 0.06]], "Homework"),
                       shape("line", "hw-line", "#1a237e", 0.004, [[0.05, 0.24], [0.45, 0.24]])])),
    (0.89, ("events", [shape("text", "hw-1", "#212121", 0.008, [[0.07, 0.32]],
                             "Label the parts of a chloroplast"),
                       {"type": "noteboard.update", "text": "Homework 📚\nLabel a chloroplast\nDue Friday"}])),
    (0.92, ("events", [chat("rivera", "Homework: label the parts of a chloroplast 📚 Thank you all!")])),
    (0.95, ("events", [chat("sam", "Thanks! 👋"), chat("chen", "See you next week 🌿")])),
]


class ClassRunner:
    """Plays TIMELINE: events over the API with t = seconds since the first one, and one
    Publisher per participant and room stint."""

    def __init__(self, api, ingest_token, class_s, voices, work_dir, log):
        self.api = api
        self.ingest_token = ingest_token
        self.class_s = class_s
        self.voices = voices
        self.work_dir = work_dir
        self.log = log
        self.t0 = None
        self.last_t = 0.0
        self.room_of = {}
        self.stints = {}  # who -> count of stints so far
        self.publishers = {}  # who -> the running Publisher
        self.retiring = []
        self.tracks = 0

    def now(self):
        return 0.0 if self.t0 is None else time.monotonic() - self.t0

    def send(self, events):
        if self.t0 is None:
            self.t0 = time.monotonic()
        t = max(self.last_t, round(self.now(), 3))
        self.last_t = t
        batch = [dict(e, t=t) for e in events]
        self.api.post(f"/api/v1/sessions/{SESSION_ID}/events", batch)

    def publish(self, who, room):
        """A new stint: RTP forwards for a webcam and a microphone, the sender, track.publish."""
        person = PEOPLE[who]
        n = self.stints[who] = self.stints.get(who, 0) + 1
        cam, mic = f"cam-{who}-{n}", f"mic-{who}-{n}"
        self.tracks += 1
        video_ssrc, audio_ssrc = 0x10000 + self.tracks, 0x20000 + self.tracks
        ports = {}
        for track, kind, ssrc in ((cam, "video", video_ssrc), (mic, "audio", audio_ssrc)):
            ports[kind] = self.api.post(f"/api/v1/sessions/{SESSION_ID}/tracks/{quote(track)}/rtp",
                                        {"sdp": rtp_sdp(kind, ssrc)}, token=self.ingest_token)["port"]
        self.publishers[who] = Publisher(
            person, ports["video"], ports["audio"], video_ssrc, audio_ssrc,
            self.voices.slice_wav(who, self.now()),
            os.path.join(self.work_dir, f"badge-{who}.png"),
            os.path.join(self.work_dir, f"publisher-{who}-{n}.log"))
        extra = {} if room == "main" else {"room": room}
        self.send([dict(extra, type="track.publish", track=cam, participant=person["id"],
                        kind="video", source="camera"),
                   dict(extra, type="track.publish", track=mic, participant=person["id"],
                        kind="audio", source="microphone")])

    def retire(self, who):
        pub = self.publishers.pop(who, None)
        if pub:
            pub.interrupt()
            self.retiring.append(pub)

    def step(self, what):
        kind = what[0]
        if kind == "join":
            who = what[1]
            p = PEOPLE[who]
            self.send([{"type": "participant.join", "id": p["id"], "name": p["name"],
                        "role": p["role"], "user": p["email"]}])
            self.room_of[who] = "main"
            self.publish(who, "main")
            self.log(f"{p['name']} joined the main room")
        elif kind == "move":
            who, room = what[1], what[2]
            self.send([{"type": "participant.move", "id": PEOPLE[who]["id"], "to": room}])
            self.retire(who)
            self.room_of[who] = room
            self.publish(who, room)
            self.log(f"{PEOPLE[who]['name']} moved to {'the main room' if room == 'main' else room}")
        elif kind == "close":
            room = what[1]
            self.send([{"type": "room.close", "id": room}])
            back = [who for who, r in self.room_of.items() if r == room]
            for who in back:
                self.retire(who)
                self.room_of[who] = "main"
                self.publish(who, "main")
            self.log(f"breakout room {room} closed; back in the main room: "
                     + ", ".join(PEOPLE[w]["name"] for w in back))
        elif kind == "events":
            self.send(what[1])
        else:
            raise ValueError(f"unknown timeline step {what!r}")

    def tick(self):
        """Between steps: finishes retired senders and notices one that died."""
        self.retiring = [p for p in self.retiring if not p.reap()]
        for who, pub in self.publishers.items():
            why = pub.failed()
            if why:
                raise RuntimeError(f"the webcam/microphone sender of {PEOPLE[who]['name']} stopped: "
                                   f"{why} (its log: {pub.log_path})")

    def run(self):
        for frac, what in TIMELINE:
            at = frac * self.class_s
            while self.t0 is not None and self.now() < at:
                self.tick()
                time.sleep(min(0.1, max(0.0, at - self.now())))
            self.step(what)
        while self.now() < self.class_s:
            self.tick()
            time.sleep(min(0.1, max(0.0, self.class_s - self.now())))

    def finish(self):
        """The end of the class: everyone leaves, the session ends."""
        self.send([{"type": "participant.leave", "id": PEOPLE[w]["id"], "reason": "left"}
                   for w in PEOPLE] + [{"type": "session.end"}])
        self.stop_publishers()

    def stop_publishers(self):
        for who in list(self.publishers):
            self.retire(who)
        for pub in self.retiring:
            pub.stop()
        self.retiring = []
