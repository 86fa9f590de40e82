import { describe, expect, it } from 'vitest';
import { isValidChannelName } from './api.js';

describe('channel names', () => {
  it.each([
    ['#g', true], ['#general', true], ['#' + 'x'.repeat(49), true], ['#' + 'x'.repeat(50), false],
    ['general', false], ['#', false], ['#a b', false], ['##x', false],
  ])('channel %j → %s', (name, ok) => expect(isValidChannelName(name)).toBe(ok));
});
