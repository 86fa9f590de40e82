import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, PASSWORD } from './testing/index.js';
import '../plugins/auth/api.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

const SHIPPED = { auth: {}, channels: {}, history: {}, admin: {}, bots: {} };
describe('/help with the shipped plugins, as an admin sees it (every command)', () => {
  it('every summary is a sentence (upper case first), and in text every summary starts in the same column', async () => {
    server = await TestServer.start({ plugins: SHIPPED });
    await server.server.service('auth')!.createUser('root', PASSWORD, 'admin');
    const root = await server.login('root', PASSWORD);
    const commands: { name: string; usage: string; summary: string }[] = (await root.ok('/help', 'help')).commands;
    expect(commands.length).toBeGreaterThan(30);
    for (const c of commands) expect(`/${c.name}: ${c.summary}`).toMatch(/^\/\w+: [A-Z]/);

    const text = await server.connect();
    text.send(`/login root ${PASSWORD}`);
    await text.line(/Logged in as root/);
    const mark = text.lines.length;
    text.send('/help');
    const last = commands[commands.length - 1]!;
    await text.line(new RegExp(`${last.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const lines = text.lines.slice(mark);
    const columns = new Set<number>();
    for (const c of commands) {
      // Its summary ends a line: the usage's own, or the next one when the usage is too long for the column.
      const i = lines.findIndex((l, n) => l.endsWith(`  ${c.summary}`) && (l.includes(`  ${c.usage}  `) || lines[n - 1]?.endsWith(`  ${c.usage}`)));
      expect(i, `/${c.name} in\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
      columns.add(lines[i]!.length - c.summary.length);
    }
    expect([...columns]).toHaveLength(1);
  });
});
