import { isValidUserName, list, options, str } from '../../core/index.js';

/**
 * The hello plugin's settings (plugins.hello in the config file), declared once: each with its default and
 * the values it takes. Every key has a default, so `"hello": {}` in the config is enough; a key the config
 * file sets that is not listed here, a value of the wrong type or one out of range is refused at start
 * (and at /rehash) with a message naming the setting, so a typo never goes unnoticed.
 */
export const helloOptions = options({
  /** The bot's name, as it appears in channels and in /who (a valid user name nobody has taken). */
  name: str('hello', { valid: (name, path) => (isValidUserName(name) ? undefined : `${path}: ${JSON.stringify(name)} is not a valid name`) }),
  /** Channels the bot sits in (it can be invited into others with /channel invite #c hello). */
  channels: list(['#general']),
  /** What the bot says before your name. */
  greeting: str('Hello'),
});

export type HelloConfig = typeof helloOptions.defaults;
