/** What every scenario module provides, and what the run gives it. */
import type { Table } from '../lib/table.js';
import type { Peer, PeerKind } from '../peers/servers.js';

export type PeerScenarioName = 'fanout' | 'rooms' | 'idle' | 'storm' | 'wave';
export type ScenarioName = PeerScenarioName | 'history';
export const ALL_SCENARIOS: ScenarioName[] = ['fanout', 'rooms', 'idle', 'storm', 'wave', 'history'];

/** scrypt cost for Whiskr accounts where logging in is setup, not the thing measured (the storm keeps the default). */
export const SETUP_SCRYPT_N = 16;

/** The options of the run that shape a scenario. */
export interface ScenarioOptions {
  /** A few seconds per scenario instead of the full sizes. */
  quick: boolean;
  /** idle: when the last RSS reading is taken, ms after the logins. */
  idleSettleMs?: number;
  /** wave: how many accounts reconnect (default: 10,000; quick 1,000). */
  waveSize?: number;
}

export type Log = (msg: string) => void;

/** What a scenario asks of a fresh Whiskr peer (IRC and raw peers ignore it). */
export interface PeerSetup {
  scryptN: number | undefined;
  accounts: string[];
  /** Plugin options of this scenario (the run's --whiskr-options are laid over them). */
  pluginOptions?: Record<string, Record<string, unknown>>;
}

/** How a scenario gets a server to measure. */
export interface PeerHost {
  /**
   * Start a fresh peer of this kind (Whiskr: with these accounts, hashed at this scrypt cost; undefined is
   * the default, and these plugin options), run `task` against it, stop it. Undefined when anything failed: the run keeps the error.
   */
  withPeer<T>(kind: PeerKind, setup: PeerSetup, task: (peer: Peer) => Promise<T>): Promise<T | undefined>;
  log: Log;
}

/** One budget checked against this run's figures; pass is undefined when the run cannot tell. */
export interface Check { budget: string; peer: string; value: string; pass: boolean | undefined }

/** A scenario measured against every peer in turn, each time on a fresh server. */
export interface PeerScenario<R> {
  name: PeerScenarioName;
  /** Sizes and durations (in the JSON as parameters.<name>). */
  parameters: object;
  /** Measure one peer; undefined when it failed. */
  run(kind: PeerKind, host: PeerHost): Promise<R | undefined>;
  table: Table<R>;
  /** The budgets of one Whiskr peer, read against the other peers' results of this run. */
  budgets?(whiskr: PeerKind, results: Partial<Record<PeerKind, R>>): Check[];
}
