/**
 * A scripted demo of a cluster (README, "A cluster"): three Whiskr nodes as processes on this machine,
 * sharing a fresh MariaDB database and a NATS; a user on each node chatting in #demo; node c killed with
 * SIGKILL; its user shown offline to the others within seconds, then back on node a with the reconnect
 * token, catching up what was said meanwhile with /history after=. Everything it does is printed.
 *
 *   npm run cluster-demo [-- --nats nats://127.0.0.1:4222 --mysql mysql://whiskr_test:whiskr_test@127.0.0.1:3306/]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../core/testing/process.js';

const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : dflt; };
const NATS = arg('nats', process.env.WHISKR_NATS_URL ?? 'nats://127.0.0.1:4222');
const MYSQL = arg('mysql', 'mysql://whiskr_test:whiskr_test@127.0.0.1:3306/');
const BIN = fileURLToPath(new URL('../bin/whiskr.js', import.meta.url));
const PASSWORD = 'correct horse battery';
const say = (text: string) => console.log(`\n== ${text}`);

/** A json client that prints what it receives, with waits for events. */
class Demo {
  private buf = '';
  readonly events: Record<string, unknown>[] = [];
  /** The id of the last message received. */
  lastMessageId = '';
  private waiters: (() => void)[] = [];
  private constructor(readonly who: string, private readonly socket: Socket) {
    socket.on('data', (d) => {
      this.buf += d;
      let i;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        if (!line.startsWith('{')) continue;
        const e = JSON.parse(line) as Record<string, unknown>;
        this.events.push(e);
        if (e.type === 'message' && typeof e.id === 'string') this.lastMessageId = e.id;
        if (['message', 'presence', 'join', 'part', 'catchup'].includes(String(e.type))) console.log(`   ${this.who.padEnd(10)} <- ${line}`);
        for (const w of this.waiters.splice(0)) w();
      }
    });
    socket.on('error', () => {});
  }

  static async open(who: string, port: number): Promise<Demo> {
    const s = await new Promise<Socket>((resolve, reject) => { const c = connect(port, '127.0.0.1', () => resolve(c)); c.once('error', reject); });
    const d = new Demo(who, s);
    d.send('/format json');
    await d.wait((e) => e.type === 'ok' && e.command === 'format');
    return d;
  }

  send(line: string): void { this.socket.write(`${line}\n`); }

  async wait(pred: (e: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    let from = 0;
    for (;;) {
      const found = this.events.slice(from).find(pred);
      if (found) { this.events.splice(0, this.events.indexOf(found) + 1); return found; }
      from = this.events.length;
      if (Date.now() > deadline) throw new Error(`${this.who}: timed out`);
      await new Promise<void>((r) => { const t = setTimeout(r, 200); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
  }

  close(): void { this.socket.destroy(); }
}

async function main(): Promise<void> {
  const db = `whiskr_demo_${process.pid}`;
  const admin = await createConnection({ uri: MYSQL });
  await admin.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = MYSQL.replace(/\/?$/, `/${db}`);
  const children: ChildProcess[] = [];
  const clients: Demo[] = [];
  try {
    const ports: number[] = [];
    say(`three nodes a, b, c on ${url} and NATS ${NATS}`);
    for (const node of ['a', 'b', 'c']) {
      const port = await freePort();
      const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', String(port), '--no-console'], {
        env: { ...process.env, WHISKR_DATABASE_URL: url, WHISKR_NATS_URL: NATS, WHISKR_NODE: node, WHISKR_CLUSTER: `demo${process.pid}`, WHISKR_LOG: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        let out = '';
        const on = (d: Buffer) => { out += d; if (out.includes(`listening on 127.0.0.1:${port}`)) resolve(); };
        child.stdout!.on('data', on);
        child.stderr!.on('data', on);
        child.once('exit', () => reject(new Error(`node ${node} exited: ${out}`)));
      });
      ports.push(port);
      console.log(`   node ${node}: pid ${child.pid}, port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 2_000)); // heartbeats: the nodes find each other

    say('ann on a, bob on b, cy on c; each joins #demo');
    const names = ['ann', 'bob', 'cy'];
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await Demo.open(`${names[i]}@${'abc'[i]}`, ports[i]!);
      c.send(`/register +token ${names[i]} ${PASSWORD}`);
      tokens.push(String((await c.wait((e) => e.type === 'login')).token));
      c.send('/join #demo');
      await c.wait((e) => e.type === 'join' && e.channel === '#demo' && e.user === names[i]);
      clients.push(c);
    }
    await new Promise((r) => setTimeout(r, 500));
    say('each says hello: everyone sees everything, whichever node');
    for (let i = 0; i < 3; i++) {
      clients[i]!.send(`/msg #demo hello from node ${'abc'[i]}`);
      for (const c of clients) await c.wait((e) => e.type === 'message' && e.text === `hello from node ${'abc'[i]}`);
    }

    // What cy's terminal would catch up after: the last message id it saw.
    const lastSeen = clients[2]!.lastMessageId;
    say('node c is killed (SIGKILL)');
    const killedAt = Date.now();
    children[2]!.kill('SIGKILL');
    clients[2]!.close();
    clients[0]!.send('/msg #demo cy, are you there?');
    await clients[0]!.wait((e) => e.type === 'message' && e.text === 'cy, are you there?');
    await clients[0]!.wait((e) => e.type === 'presence' && e.user === 'cy' && e.status === 'offline');
    console.log(`   cy shown offline on node a ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);

    say('cy reconnects to node a with the reconnect token, and catches up with /history after=');
    const back = await Demo.open('cy@a', ports[0]!);
    back.send(`/resume cy ${tokens[2]}`);
    await back.wait((e) => e.type === 'login');
    await back.wait((e) => e.type === 'history' && e.target === '#demo'); // the replay after the auto-join
    back.send(`/history #demo after=${lastSeen}`);
    const page = await back.wait((e) => e.type === 'history' && e.target === '#demo');
    for (const m of page.messages as { from: string; text: string }[]) console.log(`   cy@a      missed: <${m.from}> ${m.text}`);
    clients.push(back);
    say('done: the demo stops its nodes and drops its database');
  } finally {
    for (const c of clients) c.close();
    for (const ch of children) if (ch.exitCode === null && ch.signalCode === null) ch.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_000));
    for (const ch of children) if (ch.exitCode === null && ch.signalCode === null) ch.kill('SIGKILL');
    const c = await createConnection({ uri: MYSQL });
    await c.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await c.end();
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
