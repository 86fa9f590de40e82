import { event, plural, type PrivilegedContext } from '../../core/index.js';
import type { AdminConfig } from './config.js';

/**
 * When a /shutdown countdown speaks: at its start, then at these many seconds left (a long countdown does
 * not send a notice every second for ten minutes).
 */
export const ANNOUNCE_AT = [3600, 1800, 900, 600, 300, 60, 30, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

/** Whether a countdown that started with `total` seconds announces when `left` seconds remain. */
export function announces(total: number, left: number): boolean {
  return left > 0 && (left === total || (left < total && ANNOUNCE_AT.includes(left)));
}

/** `10 minutes`, `1 minute 30 seconds`, `1 second`. */
export function spell(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (m === 0) return plural(s, 'second');
  return s === 0 ? plural(m, 'minute') : `${plural(m, 'minute')} ${plural(s, 'second')}`;
}

/**
 * The /shutdown countdown: on the server's clock, with a notice to every session at the start and at the
 * steps above, then the server shuts down. The timer wakes each second and reads the clock, so a step is
 * never announced late or twice. Its timers belong to the plugin's scope: unloading the plugin stops it.
 */
export class ShutdownCountdown {
  private current?: { cancel: () => void; at: number; by: string };

  constructor(private readonly ctx: PrivilegedContext<AdminConfig>) {}

  /** The countdown under way, if any. */
  get pending(): { at: number; by: string } | undefined { return this.current; }

  start(seconds: number, by: string): void {
    const { host, delivery, clock } = this.ctx;
    const at = clock.now() + seconds * 1000;
    let said = Infinity;
    const tick = (): void => {
      const left = Math.max(0, Math.ceil((at - clock.now()) / 1000));
      if (left <= 0) {
        this.current = undefined;
        void host.shutdown(`Shut down by ${by}.`);
        return;
      }
      if (left < said && announces(seconds, left)) {
        said = left;
        delivery.toAll(event('notice', { from: 'server', text: `The server shuts down in ${spell(left)} (by ${by}).` }));
      }
      const cancel = this.ctx.after(Math.min(1000, at - clock.now() - (left - 1) * 1000), tick);
      this.current = { cancel, at, by };
    };
    tick();
  }

  /** Stop the countdown; false when none was under way. */
  cancel(): boolean {
    if (!this.current) return false;
    this.current.cancel();
    this.current = undefined;
    return true;
  }
}
