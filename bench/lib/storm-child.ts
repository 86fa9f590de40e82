/**
 * The login storm's new clients, in a process of their own: connecting and logging in 100 clients is
 * work for the generator too, and done in the process that times the chat it would delay the chat
 * measurement itself rather than the server. Prints "ready", connects when it reads a line, prints
 * {login, wallMs} as JSON once all are in, and keeps the connections until its standard input closes.
 *   node --import tsx bench/lib/storm-child.ts <protocol: raw|ngircd|inspircd|whiskr> <port> <concurrency> <name>…
 */
import { connectAll } from './connect.js';
import { inspircdProtocol, ngircdProtocol, rawProtocol, whiskrProtocol, type Protocol } from './protocols.js';

const PROTOCOLS: Record<string, Protocol> = { raw: rawProtocol, ngircd: ngircdProtocol, inspircd: inspircdProtocol, whiskr: whiskrProtocol };

const [protocol, port, concurrency, ...names] = process.argv.slice(2);
const proto = PROTOCOLS[protocol ?? ''];
if (!proto || !port || !concurrency || names.length === 0) {
  console.error('usage: storm-child.ts <raw|ngircd|inspircd|whiskr> <port> <concurrency> <name>…');
  process.exit(2);
}
const peer = { proto, port: Number(port) };
let clients: { close(): void }[] = [];
let started = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', () => {
  if (started) return;
  started = true;
  void connectAll(peer, names, Number(concurrency)).then((conn) => {
    clients = conn.clients;
    process.stdout.write(`${JSON.stringify({ login: conn.login, wallMs: conn.wallMs })}\n`);
  }, (err: Error) => { console.error(err.message); process.exit(1); });
});
process.stdin.on('end', () => {
  for (const c of clients) c.close();
  process.exit(0);
});
process.stdout.write('ready\n');
