/**
 * The ceiling for any Node chat server on this machine: split lines, write each to every other
 * connection in the sender's room. `JOIN #room` moves a connection to a room (reply `JOINED #room`),
 * `PING t` answers `PONG t`. Mode `coalesce` gathers a socket's output during one event-loop turn
 * and writes it once; mode `perline` calls write() for every line.
 * Usage: node --import tsx bench/peers/raw-server.ts coalesce|perline   (prints `port <n>`)
 */
import { createServer, type Socket } from 'node:net';

const mode = process.argv[2] === 'perline' ? 'perline' : 'coalesce';
type Conn = { socket: Socket; room: Set<Conn> | undefined; out: string[] };
const rooms = new Map<string, Set<Conn>>();
let dirty: Conn[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const list = dirty;
  dirty = [];
  for (const c of list) { c.socket.write(c.out.length === 1 ? c.out[0]! : c.out.join('')); c.out = []; }
}

function send(c: Conn, line: string): void {
  if (mode === 'perline') { c.socket.write(line); return; }
  if (c.out.length === 0) {
    dirty.push(c);
    if (!scheduled) { scheduled = true; setImmediate(flush); }
  }
  c.out.push(line);
}

const server = createServer((socket) => {
  const conn: Conn = { socket, room: undefined, out: [] };
  let rest = '';
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString('latin1');
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl + 1);
      start = nl + 1;
      if (line.startsWith('JOIN ')) {
        const name = line.slice(5).trim();
        conn.room?.delete(conn);
        let room = rooms.get(name);
        if (!room) rooms.set(name, (room = new Set()));
        room.add(conn);
        conn.room = room;
        send(conn, `JOINED ${name}\n`);
      } else if (line.startsWith('PING ')) {
        send(conn, `PONG ${line.slice(5)}`);
      } else if (conn.room) {
        for (const other of conn.room) if (other !== conn) send(other, line);
      }
    }
    rest = text.length - start > 65_536 ? '' : text.slice(start);
  });
  socket.on('error', () => {});
  socket.on('close', () => { conn.room?.delete(conn); conn.out = []; });
});
server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  const addr = server.address();
  process.stdout.write(`port ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => process.exit(0));
