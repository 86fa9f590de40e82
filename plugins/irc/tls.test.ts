import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { PASSWORD, account, startChat, type TestServer } from '../../core/testing/index.js';
import type { IrcService } from './api.js';

/** With server.tls enabled, the IRC listener also listens with TLS (the same certificate) on its TLS port. */
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
let dir = '';
let cert = '';
let key = '';
beforeAll(() => {
  if (!hasOpenssl) return;
  dir = mkdtempSync(join(tmpdir(), 'whiskr-irc-tls-'));
  cert = join(dir, 'cert.pem');
  key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe.skipIf(!hasOpenssl)('IRC over TLS', () => {
  it('registers and logs in over TLS with a certificate the client verifies', async () => {
    server = await startChat('sqlite', { irc: { port: 0, tlsPort: 0 } }, { config: { server: { tls: { enabled: true, port: 0, cert, key } } } });
    await account(server, 'alice');
    const port = (server.server.service('irc') as IrcService).port(true);
    expect(port).toBeGreaterThan(0);
    const lines: string[] = [];
    const socket = tlsConnect({ port, host: '127.0.0.1', servername: 'localhost', ca: readFileSync(cert) });
    socket.setEncoding('utf8');
    let buf = '';
    const welcomed = new Promise<void>((resolve, reject) => {
      socket.on('data', (d: string) => {
        buf += d;
        lines.push(...buf.split('\r\n').slice(0, -1));
        buf = buf.slice(buf.lastIndexOf('\r\n') + 2);
        if (lines.some((l) => / 366 alice #general /.test(l))) resolve();
      });
      socket.on('error', reject);
      socket.on('close', () => reject(new Error(`closed: ${lines.join('\n')}`)));
    });
    socket.write(`PASS :alice:${PASSWORD}\r\nNICK alice\r\nUSER a 0 * :a\r\n`);
    await welcomed;
    expect(socket.authorized).toBe(true);
    expect(lines).toContain(':alice!alice@whiskr JOIN #general');
    socket.destroy();
  });
});
