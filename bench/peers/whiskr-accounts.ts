/**
 * Creates benchmark accounts before the Whiskr server under test starts (untimed, and without leaving
 * the registrations' garbage in the server's heap, which would blur the idle RSS figure). Boots the
 * server's plugins without listening, through the same code as `whiskr user add`.
 *   node --import tsx bench/peers/whiskr-accounts.ts <whiskr checkout> <config.json> <password> <name>…
 *   (or names on standard input, one a line, when none are given)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, config, password, ...given] = process.argv.slice(2);
if (!root || !config || !password) { console.error('usage: whiskr-accounts.ts <checkout> <config> <password> [name…]'); process.exit(2); }
let names = given;
if (names.length === 0) {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  names = text.split('\n').map((s) => s.trim()).filter(Boolean);
}
type Booted = { service(name: 'auth'): { createUser(name: string, password: string): Promise<unknown> } | undefined };
// cli/ since the command line left the core; core/cli/ in older checkouts.
const options = ['cli/options.ts', 'core/cli/options.ts'].map((f) => join(root, f)).find((f) => existsSync(f))!;
const { withBootedServer } = (await import(pathToFileURL(options).href)) as {
  withBootedServer<T>(opts: { config?: string }, task: (server: Booted) => Promise<T>): Promise<T>;
};
await withBootedServer({ config }, async (server) => {
  const auth = server.service('auth');
  if (!auth) throw new Error('the auth plugin is not loaded');
  let next = 0;
  const worker = async () => { while (next < names.length) await auth.createUser(names[next++]!, password); };
  await Promise.all(Array.from({ length: 8 }, worker));
});
console.log(`created ${names.length}`);
process.exit(0);
