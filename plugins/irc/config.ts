import { int, list, options, str } from '../../core/index.js';

/** The IRC listener's settings (plugins.irc in the config file). */
export const ircOptions = options({
  /** The port IRC clients connect to (6667 is IRC's; 0: any free one, for tests). */
  port: int({ min: 0, max: 65535, default: 6667 }),
  /** The address to listen on; empty: the server's server.host. */
  host: str(''),
  /**
   * The TLS port, used when server.tls is enabled (the line protocol's certificate). Not IRC's usual 6697:
   * that is the line protocol's TLS port (server.tls.port).
   */
  tlsPort: int({ min: 0, max: 65535, default: 6698 }),
  /** The server's name as IRC clients see it (the source of numerics). */
  serverName: str('whiskr'),
  /** The host part of users' masks (nick!nick@host): one for all, so no address is shown to others. */
  userHost: str('whiskr'),
  /** The network name (ISUPPORT NETWORK). */
  network: str('Whiskr'),
  /** The message of the day, one line each (empty: none, 422). */
  motd: list<string>([]),
});

export type IrcConfig = typeof ircOptions.defaults;
