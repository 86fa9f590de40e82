import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, TestServer, type JsonEvent, PASSWORD, adminClient, adminServerOptions } from '../../core/testing/index.js';
import { announces, spell } from './countdown.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

const TEN_TO_ONE = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

describe('the /shutdown countdown', () => {
  it.each([
    [600, [600, 300, 60, 30, ...TEN_TO_ONE]],
    [3600, [3600, 1800, 900, 600, 300, 60, 30, ...TEN_TO_ONE]],
    [90, [90, 60, 30, ...TEN_TO_ONE]],
    [45, [45, 30, ...TEN_TO_ONE]],
    [3, [3, 2, 1]],
  ])('from %d seconds speaks at %j seconds left', (total, said) => {
    expect(Array.from({ length: total }, (_, i) => total - i).filter((left) => announces(total, left))).toEqual(said);
  });

  it.each([[600, '10 minutes'], [60, '1 minute'], [90, '1 minute 30 seconds'], [30, '30 seconds'], [1, '1 second']])('%d s is "%s"', (s, text) => {
    expect(spell(s)).toBe(text);
  });

  it('/shutdown 600 on the server clock: a notice at 10 minutes, 5, 1, 30 s, 10…1, nothing in between nor late, then the shutdown', async () => {
    const clock = ManualClock.at('2026-12-31T23:50:00Z');
    server = await TestServer.start(adminServerOptions('sqlite', {}, { clock }));
    const root = await adminClient(server);
    const bob = await server.user('bob', PASSWORD);
    const notices = () => bob.events.filter((e: JsonEvent) => e.type === 'notice').map((e: JsonEvent) => e.text as string);
    const shown = (n: number) => bob.until(() => (notices().length >= n ? notices() : undefined), `${n} notices`);
    const say = (left: string) => `The server shuts down in ${left} (by root).`;

    expect((await root.ok('/shutdown 600')).text).toBe('Shutting down in 600 seconds.');
    expect(await shown(1)).toEqual([say('10 minutes')]);
    const steps: [number, string][] = [[299, ''], [1, '5 minutes'], [239, ''], [1, '1 minute'], [30, '30 seconds'], [20, '10 seconds'], [1, '9 seconds'], [8, '1 second']];
    const expected = [say('10 minutes')];
    for (const [seconds, text] of steps) {
      clock.advance(seconds * 1000);
      if (text) {
        expected.push(say(text));
        expect(await shown(expected.length)).toEqual(expected);
      }
    }
    clock.advance(1000);
    expect(await bob.next('shutdown')).toEqual({ type: 'shutdown', text: 'Shut down by root.' });
    expect(notices()).toEqual(expected);
  }, 20_000);
});
