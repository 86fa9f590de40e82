/**
 * The hello plugin's settings (plugins.hello in the config file), with their defaults. Every key has a
 * default, so `"hello": {}` in the config is enough; a key the config file sets that is not listed here
 * is refused at start, so a typo never goes unnoticed.
 */
export const helloDefaults = {
  /** The bot's name, as it appears in channels and in /who (a valid user name nobody has taken). */
  name: 'hello',
  /** Channels the bot sits in (it can be invited into others with /channel invite #c hello). */
  channels: ['#general'],
  /** What the bot says before your name. */
  greeting: 'Hello',
};

export type HelloConfig = typeof helloDefaults;
