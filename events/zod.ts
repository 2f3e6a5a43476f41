/**
 * The one zod that run-time code imports: `zod/mini`, configured once with zod's English messages.
 *
 * Classic zod (`import { z } from 'zod'`) reaches every locale and the JSON Schema importer through
 * its method-chaining API, so esbuild keeps about 450 KB of it in each Lambda bundle; the same
 * schemas written with zod/mini's functions tree-shake to about 20 KB. zod/mini loads no locale of
 * its own, and without one every issue would read "Invalid input": the contracts' reasons fall back
 * on zod's English messages for the cases they do not spell out (too_big, invalid_value, ...).
 * Both zod builds share one core, so this setting also holds where tooling imports classic zod.
 */
import en from 'zod/v4/locales/en.js';
import { config } from 'zod/mini';

config(en());

// Re-exported whole, to be imported as a namespace (`import * as z`): esbuild then keeps only the
// functions used. Exporting the namespace object itself (`export { z }`) would keep every one.
export * from 'zod/mini';
