/**
 * Creates benchmark accounts before the Whiskr server under test starts (untimed, and without leaving
 * the registrations' garbage in the server's heap, which would blur the idle RSS figure). Boots the
 * server's plugins without listening, through the same code as `whiskr user add`.
 *   node --import tsx bench/peers/whiskr-accounts.ts <whiskr checkout> <config.json> <password> <name>…
 *   (or names on standard input, one a line, when none are given)
 */
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
const { withBootedServer } = (await import(pathToFileURL(join(root, 'core/cli/options.ts')).href)) as {
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
