import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { TestServer, closed, eventually, rawSocket } from '../../core/testing/index.js';

/**
 * Transport security: an optional TLS listener on its own port beside the plain one, with a certificate
 * and key from the config. The test makes its own self-signed certificate.
 */
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
let dir = '';
let cert = '';
let key = '';

beforeAll(() => {
  if (!hasOpenssl) return;
  dir = mkdtempSync(join(tmpdir(), 'whiskr-tls-'));
  cert = join(dir, 'cert.pem');
  key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

/** A TLS client that verifies the server against the test's certificate; resolves once the handshake is done. */
function secure(port: number): Promise<{ socket: TLSSocket; lines: string[]; line(re: RegExp): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ port, host: '127.0.0.1', servername: 'localhost', ca: readFileSync(cert) }, () => {
      const lines: string[] = [];
      let buf = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => {
        buf += d;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 1); }
      });
      resolve({ socket, lines, line: (re) => eventually(() => lines.find((l) => re.test(l)), `a line matching ${re}`) });
    });
    socket.once('error', reject);
  });
}

describe.skipIf(!hasOpenssl)('the TLS listener', () => {
  const start = (extra: Record<string, unknown> = {}) => TestServer.start({ config: { server: { tls: { enabled: true, port: 0, cert, key }, ...extra } } });

  it('speaks the protocol over TLS with a certificate the client verifies, beside the plain listener', async () => {
    server = await start();
    expect(server.server.port(1)).toBeGreaterThan(0);
    expect(server.server.port(1)).not.toBe(server.port);
    const c = await secure(server.server.port(1));
    expect(c.socket.authorized).toBe(true);
    expect(c.socket.getProtocol()).toMatch(/^TLSv1\.[23]$/);
    await c.line(/^\* Whiskr/);
    c.socket.write('/ping over-tls\n');
    await c.line(/^\* pong over-tls$/);
    c.socket.write('/format json\n/ping j\n');
    await c.line(/^{"type":"pong","token":"j"}$/);
    // The plain listener is still there.
    const plain = await server.json();
    expect(await plain.request('/ping plain', 'pong')).toMatchObject({ token: 'plain' });
    c.socket.write('/quit\n');
    await closed(c.socket);
  });

  it('works with openssl s_client as a client', async () => {
    server = await start();
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${server.server.port(1)}`, '-quiet', '-verify_return_error', '-CAfile', cert, '-servername', 'localhost'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    try {
      await eventually(() => out.includes('Whiskr'), 'the welcome through s_client', 10_000);
      child.stdin.write('/ping s_client\n');
      await eventually(() => out.includes('* pong s_client'), 'the pong through s_client', 10_000);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('survives a client that speaks plain text to the TLS port, and one that never handshakes', async () => {
    server = await start({ loginTimeoutSeconds: 0.5 });
    const confused = await rawSocket(server.server.port(1));
    confused.on('error', () => {});
    confused.write('/ping not-tls\n');
    await closed(confused);
    const silent = await rawSocket(server.server.port(1));
    const t0 = Date.now();
    await closed(silent); // the handshake is bounded like a login
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(server.server.sessions.size).toBe(0);
    const c = await secure(server.server.port(1));
    await c.line(/^\* Whiskr/);
    c.socket.destroy();
  });

  it('applies the per-address cap and the login timeout to TLS sessions too', async () => {
    server = await start({ maxConnectionsPerAddress: 2, limitLoopback: true, loginTimeoutSeconds: 0.5 });
    const a = await secure(server.server.port(1));
    const b = await secure(server.server.port(1));
    const over = await secure(server.server.port(1));
    await over.line(/^! RATE_LIMITED: Too many connections/);
    await Promise.all([closed(a.socket), closed(b.socket)]);
    expect(a.lines.at(-1)).toMatch(/^! NOT_LOGGED_IN/);
  });

  it('is off unless enabled: one listener only', async () => {
    server = await TestServer.start();
    expect(server.server.port(1)).toBe(0);
  });

  it('refuses to start with a clear message when the certificate cannot be read', async () => {
    const missing = join(dir, 'missing.pem');
    await expect(TestServer.start({ config: { server: { tls: { enabled: true, port: 0, cert: missing, key } } } })).rejects.toThrow(/server\.tls\.cert.*missing\.pem/);
    const bad = join(dir, 'bad.pem');
    writeFileSync(bad, 'not a key');
    await expect(TestServer.start({ config: { server: { tls: { enabled: true, port: 0, cert, key: bad } } } })).rejects.toThrow(/TLS/);
  });
});
