// Snapshot pipeline (RTSP frame → masked sharp thumbnail + JPEG) per camera and
// with 16 cameras at once, each figure beside what ffmpeg alone takes to pull
// one frame from the same GStreamer RTSP server in the same run. Sixteen
// cameras are sixteen concurrent RTSP sessions on one server process (sixteen
// encoders would measure x264 on this box, not the gateway).
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import * as drivers from '../drivers/dist/index.js';
import { report } from './lib.mjs';

const { grabFrame, locateFfmpeg, renderSnapshot, setFfmpegConcurrency, startRtspServer } = drivers;

const SEQUENTIAL = 10;
const CAMERAS = 16;
const ROUNDS = 2;
const TIMEOUT_MS = 20_000;
const MASKS = [
  [
    [0, 0],
    [0.4, 0],
    [0.4, 0.4],
    [0, 0.4],
  ],
];

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const sortNum = (a) => [...a].sort((x, y) => x - y);

/** ffmpeg alone: the same command line the gateway runs, output discarded. */
function ffmpegAlone(ffmpeg, url) {
  return new Promise((resolve, reject) => {
    const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp'];
    args.push('-analyzeduration', '500000', '-probesize', '65536', '-i', url);
    const child = spawn(
      ffmpeg,
      [...args, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '3', 'pipe:1'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let bytes = 0;
    child.stdout.on('data', (c) => (bytes += c.length));
    child.on('close', (code) => (code === 0 && bytes > 0 ? resolve() : reject(new Error(`ffmpeg exit ${code}`))));
  });
}

async function pipeline(url) {
  const frame = await grabFrame({ streamUri: url, username: '', password: '', timeoutMs: TIMEOUT_MS });
  await renderSnapshot(frame, MASKS);
}

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const ffmpeg = await locateFfmpeg();
const rtsp = await startRtspServer({ width: 1280, height: 720, fps: 10 });
try {
  setFfmpegConcurrency(CAMERAS);
  await pipeline(rtsp.url); // warm: the server prepares its shared media on the first client
  // Interleave the two measurements so drift on a shared machine hits both alike.
  const alone = [];
  const full = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    alone.push(await timed(() => ffmpegAlone(ffmpeg, rtsp.url)));
    full.push(await timed(() => pipeline(rtsp.url)));
  }
  const a = sortNum(alone);
  const f = sortNum(full);
  report('snapshot.pipeline_p50', percentile(f, 50), 'ms', percentile(a, 50), 'ffmpeg_alone_one_frame_p50');
  report('snapshot.pipeline_p99', percentile(f, 99), 'ms', percentile(a, 99), 'ffmpeg_alone_one_frame_p99');

  // 16 cameras at once: snapshots per second, against 16 ffmpeg processes alone at once.
  let aloneMs = 0;
  let fullMs = 0;
  const perCamera = [];
  for (let r = 0; r < ROUNDS; r++) {
    aloneMs += await timed(() => Promise.all(Array.from({ length: CAMERAS }, () => ffmpegAlone(ffmpeg, rtsp.url))));
    fullMs += await timed(() =>
      Promise.all(Array.from({ length: CAMERAS }, async () => perCamera.push(await timed(() => pipeline(rtsp.url))))),
    );
  }
  const n = CAMERAS * ROUNDS;
  report(
    'snapshot.throughput_16_cameras',
    n / (fullMs / 1000),
    'snapshots/s',
    n / (aloneMs / 1000),
    'ffmpeg_alone_16_at_once',
  );
  const pc = sortNum(perCamera);
  report('snapshot.16_cameras_p99', percentile(pc, 99), 'ms', aloneMs / ROUNDS, 'ffmpeg_alone_16_at_once_round');
} finally {
  await rtsp.stop();
}
