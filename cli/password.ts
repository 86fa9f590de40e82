import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Read a new password: on a terminal without echo, asked twice (a typo there would lock the account out);
 * piped, the first line of standard input.
 */
export async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) data += chunk;
    return data.split(/\r?\n/)[0] ?? '';
  }
  let muted = false;
  const output = new Writable({ write: (chunk, _enc, cb) => { if (!muted) process.stdout.write(chunk); cb(); } });
  // One interface for both questions: lines typed ahead are not lost between them.
  const rl = createInterface({ input: stdin, output, terminal: true });
  const ask = (q: string) => new Promise<string>((resolve) => {
    muted = false;
    rl.question(q, (answer) => { process.stdout.write('\n'); resolve(answer); });
    muted = true;
  });
  try {
    const first = await ask(prompt);
    const again = await ask('Again, to confirm: ');
    if (first !== again) throw new Error('The two passwords differ; nothing was changed.');
    return first;
  } finally {
    rl.close();
  }
}

