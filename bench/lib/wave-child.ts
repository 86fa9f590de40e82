/**
 * The reconnect wave's clients, in a process of their own (as the login storm's): thousands of
 * connections reading every join of a big channel are work for the generator, which done in the timing
 * process would delay the chat it measures. Commands on standard input, one a line; answers on
 * standard output, one JSON line each:
 *   prepare  (Whiskr) log each account in once with `/login +token`, keep its reconnect token, disconnect
 *   go       all reconnect at once (Whiskr: `/resume <name> <token>`; IRC: register, then JOIN #general)
 *            and wait until each is caught up (Whiskr: the `history` of #general; IRC: end of NAMES)
 * End of input: close everything and exit.
 *   node --import tsx bench/lib/wave-child.ts <whiskr|ngircd|inspircd> <port> <prefix> <count>
 */
import { performance } from 'node:perf_hooks';
import { Client, pool } from './client.js';
import { userName } from './connect.js';
import { PASSWORD, inspircdProtocol, ngircdProtocol, whiskrProtocol, type Protocol } from './protocols.js';
import { selfCpuMs } from './proc.js';
import { Samples } from './stats.js';
import { WAVE_CHANNEL } from './wave-names.js';


const PROTOCOLS: Record<string, Protocol> = { ngircd: ngircdProtocol, inspircd: inspircdProtocol, whiskr: whiskrProtocol };
const [protocol, portArg, prefix, countArg] = process.argv.slice(2);
const proto = PROTOCOLS[protocol ?? ''];
if (!proto || !portArg || !prefix || !countArg) {
  console.error('usage: wave-child.ts <whiskr|ngircd|inspircd> <port> <prefix> <count>');
  process.exit(2);
}
const port = Number(portArg);
const names = Array.from({ length: Number(countArg) }, (_, i) => userName(prefix, i));
const tokens = new Map<string, string>();
let clients: Client[] = [];
/** Bytes of the wave's own replies (Whiskr: login, the join with its member list, the history), of all it received. */
let ownReplyBytes = 0;
// Before issue 18 a wave of 10,000 takes Whiskr 10-12 minutes (see bench/README.md).
const TIMEOUT_MS = 1_800_000;

const isType = (l: string, type: string) => l.startsWith(`{"type":"${type}"`);
const whiskrError = (l: string, command: string) => isType(l, 'error') && l.includes(`"command":"${command}"`);
const caughtUp = (l: string) => isType(l, 'history') && l.includes(`"target":"${WAVE_CHANNEL}"`);

/** One login with a reconnect token, until #general's replay; then disconnect. */
async function prepareOne(name: string): Promise<void> {
  const c = await Client.open(port, name, 60_000);
  try {
    const reply = c.waitFor((l) => isType(l, 'login') || whiskrError(l, 'login'), 'login reply', TIMEOUT_MS);
    const replay = c.waitFor(caughtUp, `${WAVE_CHANNEL} history`, TIMEOUT_MS);
    replay.catch(() => {});
    c.write(`/format json\n/login +token ${name} ${PASSWORD}\n`);
    const line = await reply;
    const token = (JSON.parse(line) as { token?: string }).token;
    if (!token) throw new Error(`${name}: no reconnect token: ${line}`);
    tokens.set(name, token);
    await replay;
  } finally { c.close(); }
}

/**
 * Reconnect every name: connections are opened at most `proto.connectConcurrency` at a time (listen
 * backlogs), but nothing else waits: each client logs in as soon as it is connected. A client reads
 * lines only until it is caught up, then only counts bytes (the joins of the rest of the wave).
 */
async function wave(): Promise<object> {
  const cpu0 = selfCpuMs();
  const t0 = performance.now();
  const loggedIn = new Samples();
  const done = new Samples();
  const waits: Promise<void>[] = [];
  clients = await pool(names, proto.connectConcurrency, async (name) => {
    const s = performance.now();
    const c = await Client.open(port, name, 60_000);
    waits.push(reconnect(c, name, s, loggedIn, done));
    return c;
  });
  const connectedMs = performance.now() - t0;
  await Promise.all(waits);
  const wallMs = performance.now() - t0;
  const bytes = clients.reduce((sum, c) => sum + c.bytes, 0);
  return { loggedIn: loggedIn.quantiles(), caughtUp: done.quantiles(), connectedMs, wallMs, cpuMs: selfCpuMs() - cpu0, bytes, ownReplyBytes };
}

async function reconnect(c: Client, name: string, start: number, loggedIn: Samples, done: Samples): Promise<void> {
  if (proto === whiskrProtocol) {
    const reply = c.waitFor((l) => isType(l, 'login') || whiskrError(l, 'resume'), 'resume reply', TIMEOUT_MS);
    const replay = c.waitFor(caughtUp, `${WAVE_CHANNEL} history`, TIMEOUT_MS);
    replay.catch(() => {});
    c.onLine = (l) => { if (isType(l, 'login') || isType(l, 'history') || (isType(l, 'join') && l.includes('"members":'))) ownReplyBytes += l.length + 1; };
    c.write(`/format json\n/resume ${name} ${tokens.get(name)}\n`);
    const line = await reply;
    if (!isType(line, 'login')) throw new Error(`${name}: /resume failed: ${line}`);
    loggedIn.push(performance.now() - start);
    await replay;
  } else {
    await proto.login(c, name);
    loggedIn.push(performance.now() - start);
    await proto.join(c, WAVE_CHANNEL);
  }
  done.push(performance.now() - start);
  c.parse = false;
  c.onLine = undefined;
}

const fail = (err: Error) => { console.error(err.stack ?? err.message); process.exit(1); };
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => {
  input += d;
  for (let nl = input.indexOf('\n'); nl >= 0; nl = input.indexOf('\n')) {
    const cmd = input.slice(0, nl).trim();
    input = input.slice(nl + 1);
    if (cmd === 'prepare') {
      const t0 = performance.now();
      void pool(names, 64, prepareOne).then(() => process.stdout.write(`${JSON.stringify({ prepared: tokens.size, ms: performance.now() - t0 })}\n`), fail);
    } else if (cmd === 'go') {
      void wave().then((r) => process.stdout.write(`${JSON.stringify(r)}\n`), fail);
    }
  }
});
process.stdin.on('end', () => {
  for (const c of clients) c.close();
  process.exit(0);
});
process.stdout.write('ready\n');
