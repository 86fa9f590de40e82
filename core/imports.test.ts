import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The import rule of docs/architecture.md, checked on every source file:
 * - core/ imports no plugin, client, command line or tool (a core test, `core/*.test.ts`, may import a shipped
 *   plugin's api.ts: it runs the core with the shipped plugins loaded and types their services);
 * - a plugin, a tool or a client reaches another plugin only through its api.ts, and never the command line;
 * - a fixture plugin (core/testing/fixtures/<name>/) is a plugin: the core's public API and other plugins' api.ts;
 * - the command line (cli/) may import anything: it composes the rest.
 */
const ROOT = resolve(import.meta.dirname, '..');
const PARTS = ['core', 'plugins', 'clients', 'cli', 'tools'];

/** Known exceptions, `importer -> imported`, each with the step that removes it. None today: keep it so. */
const ALLOWED = new Set<string>([]);

/** What `from` may not import, or undefined when the import is allowed. */
export function violation(from: string, to: string): string | undefined {
  const [fromPart, fromPlugin] = from.split('/');
  const [toPart, toPlugin, ...rest] = to.split('/');
  if (!PARTS.includes(toPart!) || fromPart === 'cli') return undefined;
  if (fromPart === 'core' && !from.startsWith('core/testing/fixtures/')) {
    if (toPart === 'core') return undefined;
    if (from.endsWith('.test.ts') && toPart === 'plugins' && rest.join('/') === 'api.ts') return undefined;
    return 'the core imports no plugin, client, command line or tool';
  }
  if (toPart === 'cli') return 'only bin/ imports the command line';
  if (toPart === 'plugins' && !(fromPart === 'plugins' && fromPlugin === toPlugin) && rest.join('/') !== 'api.ts') {
    return "another plugin is reached only through its api.ts";
  }
  if (fromPart === 'plugins' && (toPart === 'clients' || toPart === 'tools')) return 'a plugin imports no client or tool';
  return undefined;
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|mjs|js)$/.test(e.name) && !join(e.parentPath, e.name).includes(`${sep}node_modules${sep}`))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** The project files a source file imports (static, re-exports, side-effect and dynamic imports of a literal path). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = relative(ROOT, resolve(dirname(join(ROOT, file)), m[1]!)).split(sep).join('/');
    out.push(target.replace(/\.js$/, '.ts'));
  }
  return out;
}

describe('the import rule (docs/architecture.md)', () => {
  it.each([
    ['core/server.ts', 'plugins/auth/api.ts', true],
    ['core/server.ts', 'cli/options.ts', true],
    ['core/server.ts', 'clients/terminal/index.ts', true],
    ['core/help.test.ts', 'plugins/auth/api.ts', false],
    ['core/help.test.ts', 'plugins/auth/auth.ts', true],
    ['core/testing/server.ts', 'plugins/auth/api.ts', true],
    ['core/testing/fixtures/faulty/index.ts', 'plugins/bots/api.ts', false],
    ['core/testing/fixtures/faulty/index.ts', 'plugins/bots/runner.ts', true],
    ['plugins/admin/index.ts', 'plugins/auth/api.ts', false],
    ['plugins/admin/index.ts', 'plugins/auth/store.ts', true],
    ['plugins/admin/index.ts', 'plugins/admin/store.ts', false],
    ['plugins/admin/index.ts', 'core/index.ts', false],
    ['plugins/admin/index.ts', 'cli/options.ts', true],
    ['tools/import-legacy/importer.ts', 'plugins/history/api.ts', false],
    ['tools/import-legacy/importer.ts', 'plugins/history/store.ts', true],
    ['cli/index.ts', 'tools/import-legacy/command.ts', false],
  ])('%s -> %s refused: %s', (from, to, refused) => {
    expect(violation(from, to) !== undefined).toBe(refused);
  });

  it('holds for every source file, but for the listed exceptions', () => {
    const found: string[] = [];
    const used = new Set<string>();
    for (const file of PARTS.flatMap(sources)) {
      for (const target of importsOf(file)) {
        const why = violation(file, target);
        if (!why) continue;
        const edge = `${file} -> ${target}`;
        if (ALLOWED.has(edge)) used.add(edge);
        else found.push(`${edge}: ${why}`);
      }
    }
    expect(found).toEqual([]);
    // An exception that no longer occurs is taken off the list.
    expect([...ALLOWED].filter((e) => !used.has(e))).toEqual([]);
  });
});
