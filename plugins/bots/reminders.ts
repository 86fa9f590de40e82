import { nameKey, type Clock, type Logger, type PluginContext } from '../../core/index.js';
import type { Reminder } from './api.js';
import type { BotsConfig } from './config.js';
import type { ReminderStore } from './store.js';
import { formatSpan, formatTime } from './when.js';
import '../admin/api.js';

/** Reminders due within this are held as timers; later ones are picked up by the sweep. */
const HORIZON_MS = 60 * 60_000;
/** How often the table is looked at for reminders coming within the horizon (and failed ones). */
const SWEEP_MS = 10 * 60_000;
/** A claim older than this belongs to a run that died mid-delivery: the reminder is free again. */
const STALE_CLAIM_MS = 5 * 60_000;
/** Deliveries tried before a reminder is given up (and logged). */
const MAX_ATTEMPTS = 10;

/**
 * Schedules the stored reminders and delivers them as the remind bot: in the channel it was asked in,
 * mentioning the asker, or as a DM when asked in a DM (or when the asker has left the channel, or it is
 * gone). A reminder is
 * removed only once delivered, so one that falls due while the server is down is delivered at the next
 * start, marked late. Timers belong to the plugin's scope: unloading the plugin stops them.
 */
export class Reminders {
  private readonly timers = new Map<number, () => void>();
  private stopped = false;

  constructor(
    private readonly ctx: Pick<PluginContext<BotsConfig>, 'after' | 'every' | 'service' | 'onDispose'>,
    private readonly store: ReminderStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly config: BotsConfig['remind'],
    private readonly botName: string,
  ) {}

  /** Schedule what is due soon (overdue ones at once), and look again every few minutes. */
  async start(): Promise<void> {
    this.ctx.onDispose(() => { this.stopped = true; this.timers.clear(); });
    this.ctx.every(SWEEP_MS, () => this.sweep());
    await this.sweep();
  }

  async sweep(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    for (const r of await this.store.dueBefore(now + HORIZON_MS, now - STALE_CLAIM_MS)) this.schedule(r);
  }

  /** Hold a timer for a reminder due within the horizon (the sweep takes care of later ones). */
  schedule(r: Pick<Reminder, 'id' | 'dueAt'>, delay = r.dueAt - this.clock.now()): void {
    if (this.stopped || this.timers.has(r.id) || delay > HORIZON_MS) return;
    const cancel = this.ctx.after(Math.max(0, delay), () => {
      this.timers.delete(r.id);
      return this.fire(r.id);
    });
    this.timers.set(r.id, cancel);
  }

  unschedule(id: number): void {
    this.timers.get(id)?.();
    this.timers.delete(id);
  }

  private async fire(id: number): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    const r = await this.store.claim(id, now, now - STALE_CLAIM_MS);
    if (!r) return; // cancelled, or another run has it
    if (!this.ctx.service('channels')) {
      // Not the reminder's fault: wait for the channels plugin without using up its tries.
      await this.store.release(r.id, false);
      this.log.warn(`reminder #${r.id} for ${r.user} waits: the channels plugin is not loaded; trying again in ${this.config.retrySeconds}s`);
      this.schedule(r, this.config.retrySeconds * 1000);
      return;
    }
    try {
      await this.deliver(r, now);
      await this.store.remove(r.id);
    } catch (err) {
      await this.store.release(r.id);
      if (r.attempts + 1 >= MAX_ATTEMPTS) {
        this.log.error(`reminder #${r.id} for ${r.user} could not be delivered after ${MAX_ATTEMPTS} tries; dropped`, err);
        await this.store.remove(r.id);
        return;
      }
      this.log.warn(`reminder #${r.id} for ${r.user} not delivered (${(err as Error).message}); trying again in ${this.config.retrySeconds}s`);
      this.schedule(r, this.config.retrySeconds * 1000);
    }
  }

  private async deliver(r: Reminder, now: number): Promise<void> {
    const channels = this.ctx.service('channels');
    if (!channels) throw new Error('the channels plugin is not loaded');
    const late = now - r.dueAt > 60_000 ? ` (due ${formatTime(r.dueAt, now, this.config.timeZone)}, ${formatSpan(now - r.dueAt)} late)` : '';
    const set = `set ${formatSpan(now - r.createdAt)} ago`;
    // In the channel it was asked in while the asker is still a member there (else they would not see it).
    const member = r.channel !== null && channels.channelsOf(r.user).some((c) => nameKey(c) === nameKey(r.channel!));
    // A muted user's text does not go to a channel, even through the bot.
    const muted = this.ctx.service('admin')?.isMuted(r.user) ?? false;
    if (r.channel && member && !muted) {
      try {
        await channels.post(this.botName, r.channel, `${r.user}: reminder — ${r.text} (${set})${late}`, { bot: true });
        return;
      } catch (err) {
        // The channel is gone, or the bot may not speak there: the reminder still reaches its owner.
        this.log.info(`reminder #${r.id}: cannot post in ${r.channel} (${(err as Error).message}); sending it as a DM`);
      }
    }
    await channels.post(this.botName, r.user, `Reminder: ${r.text} (${set}${r.channel ? ` in ${r.channel}` : ''})${late}`, { bot: true });
  }
}
