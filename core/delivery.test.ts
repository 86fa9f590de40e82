import { describe, expect, it } from 'vitest';
import { LocalDelivery } from './delivery.js';
import { event } from './events.js';
import { Renderer } from './render.js';
import { Session } from './session.js';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** Sessions whose writes are recorded, in the text format. */
function sessions(n: number, got: Map<Session, string[]>): Session[] {
  const r = new Renderer();
  return Array.from({ length: n }, () => {
    const s = new Session({ remoteAddress: 'x', writableLength: 0, write() {}, end() {}, destroy() {} }, { outbox: { mark() {} } as never, renderer: r, maxOutputBytes: 1e6, overflow() {} });
    got.set(s, []);
    s.write = (d) => { got.get(s)!.push(String(d).trim()); };
    return s;
  });
}

describe('LocalDelivery.toSessionsGradually', () => {
  it('reaches a big audience a slice per turn, every session once, notices in the order they were sent', async () => {
    const got = new Map<Session, string[]>();
    const all = sessions(1_000, got);
    const delivery = new LocalDelivery(new Renderer(), () => [], () => all);
    const except = all[7]!;
    delivery.toSessionsGradually(all, event('notice', { from: 'a', text: 'first' }), except);
    delivery.toSessionsGradually(all, event('notice', { from: 'a', text: 'second' }));
    // Nothing of a notice to a thousand is written in the turn that sent it: the chat of this turn goes first.
    const reached = () => [...got.values()].filter((l) => l.length > 0).length;
    expect(reached()).toBe(0);
    await nextTurn();
    const afterOne = reached();
    expect(afterOne).toBeGreaterThan(0);
    expect(afterOne).toBeLessThan(1_000);
    all[500]!.closed = true;
    for (let turn = 0; turn < 20; turn++) await nextTurn();
    for (const [s, lines] of got) {
      if (s === all[500]) continue;
      expect(lines.map((l) => l.replace(/^.*?(first|second).*$/, '$1'))).toEqual(s === except ? ['second'] : ['first', 'second']);
    }
    expect(got.get(all[500]!)!.length).toBeLessThan(2);
    expect(delivery.deliveries).toBe(999 + 1_000 - (2 - got.get(all[500]!)!.length));
  });

  it('writes a small audience at once when nothing gradual is under way', () => {
    const got = new Map<Session, string[]>();
    const few = sessions(10, got);
    new LocalDelivery(new Renderer(), () => [], () => few).toSessionsGradually(few, event('notice', { from: 'a', text: 'now' }));
    expect([...got.values()].every((l) => l.length === 1)).toBe(true);
  });
});
