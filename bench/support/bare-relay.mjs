// The fan-out benchmark's limit: the least a Socket.IO server must do to pass
// gateway batches to area-scoped screens. Same namespaces, same messages and
// acknowledgements, same per-area rooms and split (so clients receive the same
// events), but no authentication, no validation and no storage.
// Prints {"ready":true,"port":N} on stdout like `linli-hub serve`.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false, maxHttpBufferSize: 2 * 1024 * 1024, cors: { origin: false } });

// A city code (ends in 00) covers every code with its first 4 digits; others cover their own prefix.
const prefixOf = (area) => (area.length === 6 && area.endsWith('00') ? area.slice(0, 4) : area);
const cockpit = io.of('/cockpit');
cockpit.on('connection', (s) => void s.join(`area:${prefixOf(String(s.handshake.auth.area))}`));

io.of('/gateway').on('connection', (s) => {
  s.on('hello', (_msg, ack) => ack({ ok: true, lastSeq: 0, serverTime: Date.now() }));
  s.on('events', ({ events }, ack) => {
    ack({ ok: true, ackSeq: events[events.length - 1].seq });
    const rooms = new Map();
    for (const e of events) {
      const g = e.location.gridId;
      for (const p of [g.slice(0, 4), g.slice(0, 6), g.slice(0, 9), g.slice(0, 12), g]) {
        const list = rooms.get(p);
        if (list) list.push(e);
        else rooms.set(p, [e]);
      }
    }
    for (const [p, list] of rooms) cockpit.to(`area:${p}`).emit('events', list);
  });
});

const stop = () => io.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
if (process.send) process.once('disconnect', stop);
http.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ ready: true, port: http.address().port })));
