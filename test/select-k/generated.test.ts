/**
 * A generated file (segkit's seeded generator, not the bundled sample): the default analysis recommends
 * between 3 and 8 segments, says in words which evidence decided and names the runner-up, and every
 * segment's name holds at its median scores.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTransactions } from '../../src/generate';
import { analyze } from '../../src/pipeline';
import { segmentRuleHolds } from '../../src/profile';

describe('the default analysis of a generated file', () => {
  it('recommends 3..8 segments with the deciding evidence and the runner-up in words, and true names', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'segkit-generated-')), 'tx.csv.gz');
    await writeTransactions(file, { customers: 3000, rows: 60_000, seed: 11 });
    const a = await analyze(file, { seed: 42 });
    const rec = a.sweep.recommendation;
    expect(a.k).toBe(rec.k);
    expect(rec.k).toBeGreaterThanOrEqual(3);
    expect(rec.k).toBeLessThanOrEqual(8);
    expect(rec.explanation).toContain(`Deciding evidence: ${rec.decidedBy!.replace(/^./, (c) => c.toLowerCase())}.`);
    expect(rec.decidedBy).toMatch(/signals?/);
    expect(rec.explanation).toContain(`Runner-up: k = ${rec.runnerUp!.k}, ${rec.runnerUp!.reason}.`);
    const names = a.profiles.segments.map((p) => p.name);
    expect(new Set(names).size).toBe(a.k);
    for (const p of a.profiles.segments) {
      if (p.nameBasis === 'profile' || p.nameBasis === 'fallback') expect(p.name).toMatch(/^(Recent|Moderate recency|Not recent), /);
      else expect(segmentRuleHolds(a.rfm.rules, a.rfm.bins, p.name, p.medianScores!), `${p.name} at ${JSON.stringify(p.medianScores)}`).toBe(true);
    }
  }, 300_000);
});
