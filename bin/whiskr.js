#!/usr/bin/env node
// The `whiskr` command. The server runs from its TypeScript sources (through tsx), so that an edited
// plugin is picked up by `/plugin reload` without a build step.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('../core/reload-hooks.mjs', import.meta.url);
await import('../cli/index.ts');
