/** Collect the warnings segkit emits during each test of the calling file. */
import { afterEach, beforeEach } from 'vitest';
import { setWarningSink, type SegkitWarning } from '../../src/errors';

/**
 * Registers beforeEach/afterEach hooks: before each test the returned array is emptied and receives
 * every warning; after it the previous sink is restored. Call once at the top level of a test file.
 */
export function captureWarnings(): SegkitWarning[] {
  const warnings: SegkitWarning[] = [];
  let prev: ReturnType<typeof setWarningSink> | undefined;
  beforeEach(() => {
    warnings.length = 0;
    prev = setWarningSink((w) => warnings.push(w));
  });
  afterEach(() => {
    if (prev) setWarningSink(prev);
  });
  return warnings;
}
