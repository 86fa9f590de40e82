/**
 * Starting and stopping the servers under test, each in its own process on a loopback port, each with
 * a generated config in a temporary folder. Every spawned process is remembered and killed by its
 * PID at the end, on an error and on Ctrl-C.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync, readFileSync, readdirSync, statSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { PASSWORD, rawProtocol, ngircdProtocol, inspircdProtocol, whiskrProtocol, whiskrIrcProtocol, type Protocol } from '../lib/protocols.js';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const MYSQL_URL = process.env.WHISKR_BENCH_MYSQL_URL ?? 'mysql://whiskr_test:whiskr_test@127.0.0.1:3306/';

export type PeerKind = 'raw' | 'raw-perline' | 'ngircd' | 'inspircd' | 'whiskr-sqlite' | 'whiskr-mysql' | 'whiskr-irc';
export const ALL_PEERS: PeerKind[] = ['raw', 'raw-perline', 'ngircd', 'inspircd', 'whiskr-sqlite', 'whiskr-mysql', 'whiskr-irc'];

/**
 * Peers that suit only some scenarios: Whiskr through its IRC listener is measured where the IRC rendering
 * is the cost (fan-out); the logins, idle memory and reconnect waves are the line protocol's figures already.
 */
export const PEER_SCENARIOS: Partial<Record<PeerKind, string[]>> = { 'whiskr-irc': ['fanout'] };

export const PEER_LABELS: Record<PeerKind, string> = {
  raw: 'raw node:net (coalesced)',
  'raw-perline': 'raw node:net (write per line)',
  ngircd: 'ngircd',
  inspircd: 'InspIRCd',
  'whiskr-sqlite': 'Whiskr (SQLite)',
  'whiskr-mysql': 'Whiskr (MySQL)',
  'whiskr-irc': 'Whiskr IRC listener (SQLite)',
};

export interface Peer {
  kind: PeerKind;
  proto: Protocol;
  pid: number;
  port: number;
  version: string;
  stop(): Promise<void>;
  /** Whiskr started with a heap-snapshot directory: write a snapshot (after a full GC), return its path. */
  heapSnapshot?: () => Promise<string>;
}

/** Options a scenario may give a Whiskr peer. */
export interface WhiskrOptions {
  /** scrypt cost for accounts created in this run (the auth default is 16384). */
  scryptN?: number;
  /** Run Whiskr from this checkout instead of this one (A/B comparisons of a change). */
  whiskrRoot?: string;
  /** Accounts to create before the server starts (password PASSWORD), untimed. */
  accounts?: string[];
  /** Only these plugins (default: those config/whiskr.json lists). */
  plugins?: string[];
  /** Plugin options laid over the benchmark's (experiments: `{"auth": {"tokenTtlSeconds": 0}}`). */
  pluginOptions?: Record<string, Record<string, unknown>>;
}

/** How to start a peer (only Whiskr uses them): the scenario's Whiskr options and the run's diagnostics. */
export interface StartOptions extends WhiskrOptions {
  /** Run Whiskr under node --cpu-prof, profiles into this folder. */
  profileDir?: string;
  /** Let Whiskr write heap snapshots into this folder (Peer.heapSnapshot). */
  heapDir?: string;
}

const children = new Set<ChildProcess>();
const cleanups = new Set<() => void>();

/** Kill every process this run started (by PID) and remove temp folders. Safe to call twice. */
export function killAll(): void {
  for (const c of children) if (c.pid && c.exitCode === null) { try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ } }
  children.clear();
  for (const f of cleanups) { try { f(); } catch { /* best effort */ } }
  cleanups.clear();
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => { console.error(`\n${sig}: stopping the servers this run started`); killAll(); process.exit(130); });
}
process.on('exit', killAll);

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen({ host: '127.0.0.1', port: 0 }, () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `whiskr-bench-${prefix}-`));
  cleanups.add(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Wait for a line in the child's output that matches, or fail when it exits or the time is up. */
export function waitOutput(child: ChildProcess, re: RegExp, what: string, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((res, rej) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen = (seen + d.toString()).slice(-20_000);
      const m = re.exec(seen);
      if (m) { done(); res(m); }
    };
    const onExit = (code: number | null) => { done(); rej(new Error(`${what} exited (${code}) before it was ready:\n${seen.slice(-3000)}`)); };
    const timer = setTimeout(() => { done(); rej(new Error(`${what} not ready within ${timeoutMs} ms:\n${seen.slice(-3000)}`)); }, timeoutMs);
    const done = () => { clearTimeout(timer); child.stdout?.off('data', onData); child.stderr?.off('data', onData); child.off('exit', onExit); };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  // Keep draining output so the child never blocks on a full pipe.
  child.stdout?.on('data', () => {});
  child.stderr?.on('data', () => {});
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) { children.delete(child); return; }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try { process.kill(child.pid, 'SIGTERM'); } catch { /* gone */ }
  const t = setTimeout(() => { try { process.kill(child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5_000);
  await exited;
  clearTimeout(t);
  children.delete(child);
}

// ---------------------------------------------------------------------------------------------- raw

async function startRaw(kind: 'raw' | 'raw-perline'): Promise<Peer> {
  const child = track(spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/peers/raw-server.ts'), kind === 'raw' ? 'coalesce' : 'perline'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
  const m = await waitOutput(child, /port (\d+)/, kind);
  return { kind, proto: rawProtocol, pid: child.pid!, port: Number(m[1]), version: `node ${process.version}`, stop: () => stopChild(child) };
}

// ---------------------------------------------------------------------------------------- IRC peers

let aptUpdated = false;
/** Install a Debian package when its binary is missing (apt-get update once per run first). */
export function ensurePackage(binary: string, pkg: string): void {
  if (existsSync(binary)) return;
  console.error(`${binary} missing: installing ${pkg} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) { execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }); aptUpdated = true; }
  execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
  if (!existsSync(binary)) throw new Error(`${pkg} installed but ${binary} is still missing`);
}

function gitRev(dir: string): string {
  try {
    const rev = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--', 'core', 'plugins'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return dirty ? `${rev}+local changes` : rev;
  } catch { return 'unknown revision'; }
}

function packageVersion(pkg: string): string {
  try { return execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg]).toString(); } catch { return '?'; }
}

async function startNgircd(): Promise<Peer> {
  ensurePackage('/usr/sbin/ngircd', 'ngircd');
  const dir = tempDir('ngircd');
  const port = await freePort();
  writeFileSync(join(dir, 'ngircd.conf'), `[Global]
  Name = bench.ngircd.local
  Info = Whiskr benchmark peer
  Listen = 127.0.0.1
  Ports = ${port}
  MotdPhrase = bench
  PidFile = ${dir}/ngircd.pid
[Limits]
  MaxConnections = 0
  MaxConnectionsIP = 0
  MaxJoins = 0
  MaxNickLength = 30
  MaxPenaltyTime = 0
  MaxListSize = 100
  PingTimeout = 600
  PongTimeout = 600
  IdleTimeout = 0
[Options]
  DNS = no
  Ident = no
  PAM = no
  DefaultUserModes = F
  SyslogFacility = local1
`);
  // -n: stay in the foreground, so the PID is the server's.
  const child = track(spawn('/usr/sbin/ngircd', ['-n', '-f', join(dir, 'ngircd.conf')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }));
  await waitOutput(child, /listening on|Now listening/i, 'ngircd');
  return { kind: 'ngircd', proto: ngircdProtocol, pid: child.pid!, port, version: `ngircd ${packageVersion('ngircd')}`, stop: () => stopChild(child) };
}

async function startInspircd(): Promise<Peer> {
  ensurePackage('/usr/sbin/inspircd', 'inspircd');
  const dir = tempDir('inspircd');
  const port = await freePort();
  writeFileSync(join(dir, 'motd.txt'), 'bench\n');
  writeFileSync(join(dir, 'inspircd.conf'), `
<server name="bench.inspircd.local" description="Whiskr benchmark peer" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<bind address="127.0.0.1" port="${port}" type="clients">
<connect name="bench" allow="127.0.0.1" maxchans="1000" timeout="120" pingfreq="600"
  hardsendq="1073741824" softsendq="104857600" recvq="104857600" threshold="1000000000"
  commandrate="1000000000" fakelag="off" localmax="1000000" globalmax="1000000" limit="1000000"
  useident="no" resolvehostnames="no" maxconnwarn="no">
<performance softlimit="50000" somaxconn="4096" nouserdns="yes" quietbursts="yes" netbuffersize="65536">
<limits maxnick="30" maxchan="64" maxuser="30" maxquit="255" maxtopic="307" maxkick="255" maxreal="128" maxgecos="128" maxaway="200">
<channels users="100000" opers="100000">
<options prefixquit="Quit: " syntaxhints="no" announcets="yes" hostintopic="no">
<security hidesplits="no" hideulines="no" flatlinks="no" announceinvites="dynamic" maxtargets="20" customversion="">
<files motd="${dir}/motd.txt">
<pid file="${dir}/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${dir}/ircd.log">
`);
  const child = track(spawn('/usr/sbin/inspircd', ['--nofork', '--nopid', '--runasroot', `--config=${join(dir, 'inspircd.conf')}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }));
  await waitOutput(child, /InspIRCd is now running|now running as/i, 'inspircd');
  return { kind: 'inspircd', proto: inspircdProtocol, pid: child.pid!, port, version: `InspIRCd ${packageVersion('inspircd')}`, stop: () => stopChild(child) };
}

// ------------------------------------------------------------------------------------------- Whiskr

/** The plugins config/whiskr.json lists whose code is present (index.ts), in its order. */
export function defaultWhiskrPlugins(): string[] {
  const shipped = JSON.parse(readFileSync(join(ROOT, 'config/whiskr.json'), 'utf8')) as { plugins: Record<string, unknown> };
  return Object.keys(shipped.plugins).filter((p) => existsSync(join(ROOT, 'plugins', p, 'index.ts')));
}

let dbCounter = 0;

/** Create accounts in a separate process, before the server under test starts. */
export async function createWhiskrAccounts(root: string, config: string, names: string[]): Promise<void> {
  const child = track(spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/peers/whiskr-accounts.ts'), root, config, PASSWORD], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, WHISKR_LOG: 'warn' },
  }));
  child.stdin!.end(names.join('\n'));
  await waitOutput(child, /created \d+/, 'account setup', 600_000);
  await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
  children.delete(child);
}

async function startWhiskr(kind: 'whiskr-sqlite' | 'whiskr-mysql' | 'whiskr-irc', opts: StartOptions): Promise<Peer> {
  const dir = tempDir(kind);
  let url: string;
  let dropDb: (() => Promise<void>) | undefined;
  if (kind !== 'whiskr-mysql') {
    url = `sqlite:${join(dir, 'whiskr.sqlite')}`;
  } else {
    const name = `whiskr_bench_${process.pid}_${++dbCounter}`;
    const admin = await createConnection({ uri: MYSQL_URL, connectTimeout: 5_000 });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    url = MYSQL_URL.replace(/\/?$/, `/${name}`);
    dropDb = async () => {
      const c = await createConnection({ uri: MYSQL_URL, connectTimeout: 5_000 });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    };
  }
  const plugins: Record<string, Record<string, unknown>> = {};
  for (const p of opts.plugins ?? defaultWhiskrPlugins()) plugins[p] = {};
  if (plugins.auth && opts.scryptN) plugins.auth = { scryptN: opts.scryptN, maxFailuresPerAddress: 0, maxFailuresPerAccount: 0 };
  // Every client joins its benchmark channel itself, as the IRC clients do.
  if (plugins.channels) plugins.channels = { autoJoin: [] };
  // The IRC listener on a free port of its own: its clients speak IRC, the rest is the same server.
  if (kind === 'whiskr-irc') plugins.irc = { port: 0 };
  for (const [name, o] of Object.entries(opts.pluginOptions ?? {})) if (plugins[name]) plugins[name] = { ...plugins[name], ...o };
  const config = {
    server: { host: '127.0.0.1', port: 0, maxConnectionsPerAddress: 0, maxConnections: 0, loginTimeoutSeconds: 0 },
    flood: { enabled: false },
    database: { url },
    log: { level: 'warn' },
    plugins,
  };
  const file = join(dir, 'whiskr.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  const root = opts.whiskrRoot ? resolve(opts.whiskrRoot) : ROOT;
  if (opts.accounts?.length) await createWhiskrAccounts(root, file, opts.accounts);
  const nodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`, `--cpu-prof-interval=${process.env.WHISKR_PROF_INTERVAL_US ?? 1000}`] : [];
  // A heap snapshot on SIGUSR2 (it runs a full GC first): see Peer.heapSnapshot.
  if (opts.heapDir) nodeArgs.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${opts.heapDir}`);
  // Extra V8/Node flags for a diagnosis (e.g. --trace-gc), the server's output copied to a file.
  if (process.env.WHISKR_BENCH_NODE_ARGS) nodeArgs.push(...process.env.WHISKR_BENCH_NODE_ARGS.split(/\s+/).filter(Boolean));
  const child = track(spawn(process.execPath, [...nodeArgs, join(root, 'bin/whiskr.js'), 'serve', '--config', file, '--port', '0', '--no-console'], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WHISKR_LOG: 'info' },
  }));
  if (process.env.WHISKR_BENCH_SERVER_OUT) {
    const out = createWriteStream(`${process.env.WHISKR_BENCH_SERVER_OUT}.${kind}.${child.pid}`);
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
  }
  // The IRC listener opens after the line protocol's: its port is the second one logged.
  const m = await waitOutput(child, kind === 'whiskr-irc' ? /listening on [^\s:]+:\d+[\s\S]*listening on [^\s:]+:(\d+)/ : /listening on [^\s:]+:(\d+)/, kind, 120_000);
  return {
    kind, proto: kind === 'whiskr-irc' ? whiskrIrcProtocol : whiskrProtocol, pid: child.pid!, port: Number(m[1]),
    heapSnapshot: opts.heapDir ? () => heapSnapshot(child.pid!, opts.heapDir!) : undefined,
    version: `Whiskr ${gitRev(root)} (${Object.keys(plugins).join(', ')})${root === ROOT ? '' : ` from ${root}`}`,
    async stop() {
      await stopChild(child);
      await dropDb?.().catch((err: Error) => console.error(`could not drop the bench database: ${err.message}`));
    },
  };
}

/** Ask a process started with --heapsnapshot-signal=SIGUSR2 for a snapshot; resolves with its file once written. */
async function heapSnapshot(pid: number, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  const until = Date.now() + 300_000;
  let last = -1;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) continue;
    const size = statSync(join(dir, file)).size;
    // Written when its size stops changing and the JSON is closed.
    if (size === last && size > 0 && readFileSync(join(dir, file)).subarray(-2).toString().includes(']')) return join(dir, file);
    last = size;
  }
  throw new Error('heap snapshot not written within 300 s');
}

export async function startPeer(kind: PeerKind, opts: StartOptions = {}): Promise<Peer> {
  switch (kind) {
    case 'raw':
    case 'raw-perline': return startRaw(kind);
    case 'ngircd': return startNgircd();
    case 'inspircd': return startInspircd();
    case 'whiskr-sqlite':
    case 'whiskr-mysql':
    case 'whiskr-irc': return startWhiskr(kind, opts);
  }
}
