import { connect, type Socket } from 'node:net';
import type { TestServer } from '../../core/testing/index.js';

/** A raw TCP socket to the server (for clients that misbehave: never read, half lines, raw bytes). */
export function rawSocket(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves when the socket is closed by either side (error included). */
export function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    socket.on('error', () => {});
  });
}

/**
 * Wait for a condition on the server's state (sessions, queues) with a bound. It polls on the event loop
 * rather than sleeping a fixed time: the test goes on the moment the condition holds.
 */
export async function eventually<T>(check: () => T | undefined | false, what: string, timeout = 5_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Whether a line from the server looks like it leaks internals (a stack frame or a source path). */
export function leaksInternals(line: string): boolean {
  return /\bat (?:async )?[\w.<>]+ \(|\bat \/|\bat file:|node:internal|\.[cm]?[tj]s:\d+|\/work\/|\/node_modules\//.test(line);
}

/** Round trip of one /ping in milliseconds (the client must be in json format). */
export async function pingMs(c: { request(line: string, type: string): Promise<unknown> }, token: string): Promise<number> {
  const t = performance.now();
  await c.request(`/ping ${token}`, 'pong');
  return performance.now() - t;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The sessions the server has open right now. */
export function openSessions(ts: TestServer): number { return ts.server.sessions.size; }

/** Reply lines in text format: every line the server sends starts with one of these markers. */
export const TEXT_MARKER = /^[[!*]/;
