import { describe, expect, it } from 'vitest';
import { EntryGate } from './entry-gate.js';
import { TurnBudget } from './turn-budget.js';
import { InputQueue, type InputItem } from './input.js';
import type { Session } from './session.js';
import { eventually } from './testing/wait.js';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe('TurnBudget', () => {
  it('is spent once the work of one turn has taken the budget, and fresh in the next turn', async () => {
    let now = 0;
    const budget = new TurnBudget(1, () => now);
    expect(budget.spent()).toBe(false);
    now = 0.6;
    expect(budget.spent()).toBe(false);
    now = 1.0;
    expect(budget.spent()).toBe(true);
    expect(budget.spent()).toBe(true);
    await nextTurn();
    expect(budget.spent()).toBe(false);
  });
});

describe('InputQueue behind an EntryGate', () => {
  /**
   * Sessions whose lines each "take" 0.1 ms of a fake clock and finish when `release()` is called (as a
   * login waits for its database); `entering` sessions go through a gate of 2 in flight and 1 ms a turn.
   */
  function setup(maxInFlight = 2) {
    let now = 0;
    const gate = new EntryGate(maxInFlight, 1, () => now, 50);
    const ran: string[] = [];
    let inFlight = 0;
    let maxSeen = 0;
    const pending: (() => void)[] = [];
    const entering = new Set<Session>();
    const runner = {
      now: () => now,
      run: async (s: Session, item: InputItem) => {
        if (!('line' in item)) return;
        ran.push(item.line);
        now += 0.1;
        if (!entering.has(s)) return;
        const pass = gate.started();
        maxSeen = Math.max(maxSeen, ++inFlight);
        await new Promise<void>((r) => pending.push(r));
        inFlight--;
        gate.finished(pass);
      },
      refuse: () => { throw new Error('nothing should be refused'); },
      deferred: (s: Session, q: InputQueue, _item: InputItem) => entering.has(s) && gate.wait(q),
    };
    const open = (enters: boolean) => {
      const session = { closed: false } as Session;
      if (enters) entering.add(session);
      return { session, queue: new InputQueue(session, undefined, runner) };
    };
    /** Let every line under way finish, then give the gate a turn. */
    const release = async () => { for (const r of pending.splice(0)) r(); await nextTurn(); await nextTurn(); };
    return { ran, open, release, gate, maxInFlight: () => maxSeen, advance: (ms: number) => { now += ms; } };
  }

  it('lets at most its cap of lines be under way; the rest run later in arrival order, nothing lost', async () => {
    const t = setup(2);
    const qs = Array.from({ length: 10 }, () => t.open(true));
    qs.forEach(({ queue }, i) => { queue.push({ line: `login${i}` }); queue.push({ line: `ping${i}` }); });
    expect(t.ran).toEqual(['login0', 'login1']);
    for (let turn = 0; turn < 40 && t.ran.length < 20; turn++) await t.release();
    expect(t.ran.length).toBe(20);
    expect(t.maxInFlight()).toBe(2);
    // Each session's own lines in order; the sessions' first lines in the order they arrived.
    for (let i = 0; i < 10; i++) expect(t.ran.indexOf(`login${i}`)).toBeLessThan(t.ran.indexOf(`ping${i}`));
    const firsts = t.ran.filter((l) => l.startsWith('login'));
    expect(firsts).toEqual(Array.from({ length: 10 }, (_, i) => `login${i}`));
  });

  it('does not hold back the lines it does not apply to (the chat of people logged in)', async () => {
    const t = setup(2);
    for (let i = 0; i < 10; i++) t.open(true).queue.push({ line: `login${i}` });
    const chatting = t.open(false);
    chatting.queue.push({ line: 'hello' });
    expect(t.ran).toContain('hello');
    expect(t.ran.filter((l) => l.startsWith('login')).length).toBe(2);
  });

  it('starts nothing more in a turn whose budget is spent, even with room under its cap', async () => {
    const t = setup(100);
    // 0.1 ms a line, 1 ms a turn: ten lines start in this turn, the rest in the next ones.
    for (let i = 0; i < 30; i++) t.open(true).queue.push({ line: `login${i}` });
    expect(t.ran.length).toBe(11);
    await nextTurn();
    await nextTurn();
    expect(t.ran.length).toBe(30);
  });

  it('is not stalled by a waiting session that closed before its turn', async () => {
    const t = setup(1);
    const a = t.open(true);
    const b = t.open(true);
    const c = t.open(true);
    a.queue.push({ line: 'a' });
    b.queue.push({ line: 'b' });
    c.queue.push({ line: 'c' });
    b.session.closed = true;
    b.queue.clear();
    await t.release();
    await t.release();
    expect(t.ran).toEqual(['a', 'c']);
    expect(t.gate.queued).toBe(0);
  });

  it('stops counting a line stalled for longer than its stall time, so a stalled database does not serialise logins', async () => {
    const t = setup(2);
    for (let i = 0; i < 6; i++) t.open(true).queue.push({ line: `login${i}` });
    expect(t.ran.length).toBe(2);
    // Nothing finishes (the database does not answer); past 50 ms the two under way stop counting.
    t.advance(51);
    await eventually(() => t.ran.length === 4, 'two more logins started');
    t.advance(51);
    await eventually(() => t.ran.length === 6, 'the last two started');
    await t.release();
  });
});
