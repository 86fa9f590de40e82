/** A generator child process (storm-child.ts, wave-child.ts) spoken to by lines: commands in, JSON answers out. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LineChild {
  child: ChildProcess;
  /** The child's next output line; rejects if it exits first or says nothing within the timeout. */
  nextLine(what: string): Promise<string>;
  close(): void;
}

/** Start `script` (beside this file) and wait for its `ready` line. `label` names it in errors. */
export async function startLineChild(script: string, args: string[], label: string, timeoutMs: number): Promise<LineChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buffered += d;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const w = waiters.shift();
      if (w) w(line); else lines.push(line);
    }
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the ${label} exited (${code})`))));
  exited.catch(() => {});
  const nextLine = (what: string) => Promise.race([
    new Promise<string>((resolve, reject) => {
      const l = lines.shift();
      if (l !== undefined) return resolve(l);
      const timer = setTimeout(() => reject(new Error(`the ${label}: no ${what} within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      waiters.push((line) => { clearTimeout(timer); resolve(line); });
    }),
    exited,
  ]);
  if ((await nextLine('ready')) !== 'ready') throw new Error(`the ${label} did not start`);
  return { child, nextLine, close: () => { child.stdin!.end(); } };
}
