/** Starting a peer for one measurement, and keeping its version and any failure in the run's record. */
import { startPeer, type Peer, type PeerKind, type StartOptions } from '../peers/servers.js';
import type { Log, PeerHost, PeerSetup } from '../scenarios/scenario.js';

/** What the run keeps about its peers: the version of each started, and every failure (a stack each). */
export interface PeerRecord { versions: Record<string, string>; errors: string[] }

export function peerHost(start: StartOptions, log: Log, record: PeerRecord): PeerHost {
  return {
    log,
    async withPeer<T>(kind: PeerKind, setup: PeerSetup, task: (peer: Peer) => Promise<T>): Promise<T | undefined> {
      let peer: Peer | undefined;
      try {
        peer = await startPeer(kind, { ...start, ...setup, pluginOptions: overlay(setup.pluginOptions, start.pluginOptions) });
        record.versions[kind] = peer.version;
        return await task(peer);
      } catch (err) {
        const msg = `${kind}: ${(err as Error).stack ?? err}`;
        record.errors.push(msg);
        log(`FAILED ${msg}`);
        return undefined;
      } finally {
        await peer?.stop();
      }
    },
  };
}

/** The scenario's plugin options with the run's laid over them, plugin by plugin. */
function overlay(base: PeerSetup['pluginOptions'], over: PeerSetup['pluginOptions']): PeerSetup['pluginOptions'] {
  if (!base || !over) return base ?? over;
  const out = { ...base };
  for (const [name, o] of Object.entries(over)) out[name] = { ...out[name], ...o };
  return out;
}
