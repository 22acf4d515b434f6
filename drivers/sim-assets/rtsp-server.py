#!/usr/bin/python3
"""A real RTSP server (GStreamer's) for the camera simulator.

Run with Debian's /usr/bin/python3 (it has the gi bindings). Prints one JSON
line {"ready": true, "port": N, "path": "/..."} once listening, then serves
until killed or until its parent dies (stdin closes).

Fault modes, for tests:
  --mode normal          frames at the given rate
  --mode hang            accepts RTSP but never produces a frame (DESCRIBE never completes)
  --vanish-after SECS    exits abruptly SECS after the first client starts playing
"""
import argparse
import json
import os
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, default=0, help="0 = ephemeral")
p.add_argument("--path", default="/stream1")
p.add_argument("--width", type=int, default=640)
p.add_argument("--height", type=int, default=360)
p.add_argument("--fps", type=int, default=10)
p.add_argument("--pattern", default="smpte", help="videotestsrc pattern, e.g. smpte, white, ball")
p.add_argument("--mode", choices=["normal", "hang"], default="normal")
p.add_argument("--vanish-after", type=float, default=0)
args = p.parse_args()

Gst.init(None)
# valve drop=true lets the pipeline start but keeps every buffer back: no caps, no SDP, no frame.
gate = " ! valve drop=true" if args.mode == "hang" else ""
launch = (
    f"( videotestsrc is-live=true pattern={args.pattern}"
    f" ! video/x-raw,width={args.width},height={args.height},framerate={args.fps}/1{gate}"
    f" ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={args.fps}"
    f" ! rtph264pay name=pay0 pt=96 )"
)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(str(args.port))
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(launch)
# One pipeline per client, not one shared media: gst-rtsp-server 1.22 aborts
# (gst_rtsp_media_get_rates: assertion failed) when a client sets up a shared
# media while another tears it down, which is what two cameras' one-frame
# health checks on one stream do. test/integration/rtsp-sim-concurrency.test.ts.
factory.set_shared(False)

if args.vanish_after > 0:
    started = []

    def on_configure(_factory, _media):
        if not started:
            started.append(True)
            threading.Timer(args.vanish_after, lambda: os._exit(0)).start()

    factory.connect("media-configure", on_configure)

server.get_mount_points().add_factory(args.path, factory)
if server.attach(None) == 0:
    print(json.dumps({"ready": False, "error": f"cannot listen on port {args.port}"}), flush=True)
    sys.exit(1)
print(json.dumps({"ready": True, "port": server.get_bound_port(), "path": args.path}), flush=True)


def watch_parent():
    # The parent holds our stdin; when it dies, we go too (no orphaned servers).
    sys.stdin.read()
    os._exit(0)


threading.Thread(target=watch_parent, daemon=True).start()
GLib.MainLoop().run()
