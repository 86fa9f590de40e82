import { nameKey } from '../../core/index.js';
import type { BotDirectory, BotReply, SeatedBot } from './api.js';

type Watcher = (change: 'added' | 'removed', bot: SeatedBot) => void;

const noBots: BotDirectory = {
  get: () => undefined,
  all: () => [],
  watch: () => () => {},
  channelLine: async () => [],
  directLine: async () => [],
};

/**
 * The bot directory channels uses: the newest one handed over with useBots (the bots plugin's runner),
 * else none. Watchers follow the bots of whichever directory is in use: a switch is reported as the bots
 * that came and went with it, so the seats follow.
 */
export class BotLink implements BotDirectory {
  private readonly stack: BotDirectory[] = [];
  /** The previous version of this plugin's directory, until one is handed over to this version. */
  private inherited: BotDirectory | undefined;
  private readonly watchers = new Set<Watcher>();
  private unwatch: () => void = () => {};

  constructor(private readonly onError: (err: unknown) => void) {}

  get current(): BotDirectory { return this.stack[this.stack.length - 1] ?? this.inherited ?? noBots; }

  /** The directory handed over, if any (not the empty one). */
  get inUse(): BotDirectory | undefined { return this.stack[this.stack.length - 1] ?? this.inherited; }

  /** Go on with the previous version's directory, quietly: its bots are seated as they were. */
  inherit(directory: BotDirectory | undefined): void {
    this.inherited = directory;
    this.follow(this.current);
  }

  use(directory: BotDirectory): () => void {
    const before = this.current;
    this.stack.push(directory);
    this.inherited = undefined;
    this.follow(before);
    return () => {
      const i = this.stack.indexOf(directory);
      if (i < 0) return;
      const was = this.current;
      this.stack.splice(i, 1);
      this.follow(was);
    };
  }

  /** Stop following any directory (this version of the plugin is unloaded). */
  close(): void {
    this.unwatch();
    this.unwatch = () => {};
    this.watchers.clear();
  }

  get(name: string): SeatedBot | undefined { return this.current.get(name); }
  all(): SeatedBot[] { return this.current.all(); }
  channelLine(from: string, channel: string, text: string, present: readonly string[]): Promise<BotReply[]> {
    return this.current.channelLine(from, channel, text, present);
  }
  directLine(from: string, bot: string, text: string): Promise<BotReply[]> { return this.current.directLine(from, bot, text); }

  watch(fn: Watcher): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  private readonly relay: Watcher = (change, bot) => {
    for (const w of this.watchers) {
      try { w(change, bot); } catch (err) { this.onError(err); }
    }
  };

  /** Watch the directory in use; when it is another than `before`, report every bot of either as it is now. */
  private follow(before: BotDirectory): void {
    this.unwatch();
    const now = this.current;
    this.unwatch = now.watch(this.relay);
    if (now === before) return;
    const bots = new Map<string, SeatedBot>();
    for (const b of [...before.all(), ...now.all()]) bots.set(nameKey(b.name), b);
    for (const b of bots.values()) {
      const current = now.get(b.name);
      this.relay(current ? 'added' : 'removed', current ?? b);
    }
  }
}
