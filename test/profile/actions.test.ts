/** The editable action table: defaults for every named segment, user tables, look-up by name. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEGMENT_ORDER } from '../../src/charts/theme';
import { DEFAULT_ACTIONS, actionsFor, parseActionTable } from '../../src/profile';
import { DEFAULT_SEGMENT_RULES } from '../../src/rfm';
import { errorOf } from './helpers';

describe('default actions (src/data/actions.json)', () => {
  it('covers the 11 named segments and Others, each with a summary and actions', () => {
    expect(Object.keys(DEFAULT_ACTIONS.actions).sort()).toEqual([...SEGMENT_ORDER].sort());
    for (const rule of DEFAULT_SEGMENT_RULES.rules) expect(DEFAULT_ACTIONS.actions[rule.segment]?.actions.length).toBeGreaterThan(0);
  });

  it('says what the issue asks for Champions, At Risk and Lost', () => {
    expect(DEFAULT_ACTIONS.actions.Champions.actions.join(' ')).toMatch(/reward.*early access.*referrals/is);
    expect(DEFAULT_ACTIONS.actions['At Risk'].actions.join(' ')).toMatch(/win-back.*personal/is);
    expect(DEFAULT_ACTIONS.actions.Lost.summary).toMatch(/low-cost reactivation, or let go/i);
  });

  it('is the file as written (the defaults live in one data file)', () => {
    const file = JSON.parse(readFileSync(path.resolve(__dirname, '../../src/data/actions.json'), 'utf8')) as { actions: Record<string, unknown> };
    expect(Object.keys(file.actions)).toEqual(Object.keys(DEFAULT_ACTIONS.actions));
  });
});

describe('actionsFor', () => {
  it('finds a name, a qualified name and a numbered name (case-insensitive)', () => {
    expect(actionsFor('champions').matched).toBe('Champions');
    expect(actionsFor('Lost (higher spend)').matched).toBe('Lost');
    expect(actionsFor('Lost 3').matched).toBe('Lost');
    expect(actionsFor('Whales', null, "Can't Lose Them").matched).toBe("Can't Lose Them");
    expect(actionsFor('Something else')).toMatchObject({ matched: null, summary: 'Review this segment before acting' });
  });

  it('lets a user table win over the defaults', () => {
    const t = parseActionTable('{"actions": {"Champions": {"summary": "VIP line", "actions": ["Invite to the VIP evening"]}}}');
    expect(actionsFor('Champions', t)).toEqual({ summary: 'VIP line', actions: ['Invite to the VIP evening'], matched: 'Champions' });
    expect(actionsFor('Lost', t).matched).toBe('Lost');
  });
});

describe('parseActionTable', () => {
  it('accepts a bare map, lists and single texts', () => {
    const t = parseActionTable({ Gold: ['Call', 'Gift'], Silver: 'Email' });
    expect(t.actions.Gold).toEqual({ summary: 'Call', actions: ['Call', 'Gift'] });
    expect(t.actions.Silver).toEqual({ summary: 'Email', actions: ['Email'] });
  });

  it('refuses bad tables with a clear message', () => {
    expect(errorOf(() => parseActionTable('{oops')).code).toBe('actions_not_json');
    const e = errorOf(() => parseActionTable({ actions: { Gold: { summary: 'x', action: ['y'] } } }));
    expect(e.code).toBe('actions_unknown_field');
    expect(e.hint).toMatch(/did you mean "actions"/);
    expect(errorOf(() => parseActionTable({ actions: { Gold: { actions: [] } } })).message).toMatch(/"Gold".actions must be a non-empty list/);
    expect(errorOf(() => parseActionTable({ action: {} })).code).toBe('actions_invalid');
  });
});
