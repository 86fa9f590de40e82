import { describe, expect, it } from 'vitest';
import { TurnBudget } from './turn-budget.js';
import { InputQueue, type InputItem } from './input.js';
import type { Session } from './session.js';

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

describe('InputQueue with a turn budget', () => {
  /** Sessions whose every line "takes" 0.4 ms of a fake clock; `waiting` sessions are deferred past 1 ms a turn. */
  function setup() {
    let now = 0;
    const budget = new TurnBudget(1, () => now);
    const ran: string[] = [];
    const waiting = new Set<Session>();
    const runner = {
      now: () => now,
      run: async (_s: Session, item: InputItem) => { if ('line' in item) ran.push(item.line); now += 0.4; },
      refuse: () => { throw new Error('nothing should be refused'); },
      deferred: (s: Session) => waiting.has(s) && budget.spent(),
    };
    const open = (deferrable: boolean) => {
      const session = { closed: false } as Session;
      if (deferrable) waiting.add(session);
      return new InputQueue(session, undefined, runner);
    };
    return { ran, open };
  }

  it('puts off what is over the budget to later turns, in order, losing nothing', async () => {
    const { ran, open } = setup();
    const entering = Array.from({ length: 10 }, () => open(true));
    entering.forEach((q, i) => { q.push({ line: `login${i}` }); q.push({ line: `ping${i}` }); });
    // The budget's 1 ms holds three 0.4 ms lines: the rest wait for later turns.
    expect(ran.length).toBe(3);
    for (let turn = 0; turn < 20 && ran.length < 20; turn++) await nextTurn();
    expect(ran.length).toBe(20);
    for (let i = 0; i < 10; i++) expect(ran.indexOf(`login${i}`)).toBeLessThan(ran.indexOf(`ping${i}`));
  });

  it('does not hold back the sessions it does not apply to (chat of logged-in users)', async () => {
    const { ran, open } = setup();
    const entering = Array.from({ length: 10 }, () => open(true));
    for (const [i, q] of entering.entries()) q.push({ line: `login${i}` });
    const chatting = open(false);
    chatting.push({ line: 'hello' });
    // Everything the budget put off is still waiting, and the chat line has run.
    expect(ran).toContain('hello');
    expect(ran.filter((l) => l.startsWith('login')).length).toBeLessThan(10);
    for (let turn = 0; turn < 20 && ran.length < 11; turn++) await nextTurn();
    expect(ran.length).toBe(11);
  });
});
