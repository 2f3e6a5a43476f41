/**
 * Run-time code validates with zod/mini, which loads no locale of its own: events/zod.ts gives it
 * zod's English messages once, so a constraint without a message of its own still explains itself.
 * This file imports no classic zod (which would set English itself and hide a missing locale).
 */
import { describe, expect, it } from 'vitest';
import * as z from '../../events/zod.ts';
import { slug } from '../../events/common.ts';

describe('zod at run time', () => {
  it("reports zod's English message where a schema has none of its own", () => {
    // Act
    const result = z.string().check(z.maxLength(3)).safeParse('abcd');

    // Assess
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['Too big: expected string to have <=3 characters']);
  });

  it("keeps the contracts' own messages", () => {
    // Act
    const result = slug.safeParse('Not A Slug');

    // Assess
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['must be a lower-case slug (a-z, 0-9, single hyphens)']);
  });
});
