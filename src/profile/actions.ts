/**
 * Recommended actions per segment name, from an editable table. The defaults (the 11 named RFM
 * segments and Others) live in src/data/actions.json; users pass their own table as an object or JSON.
 */
import { SegkitError } from '../errors';
import { unknownActionField } from '../messages';
import defaultTable from '../data/actions.json';

export interface SegmentActions {
  /** One line, e.g. "Reward them and keep them close". */
  summary: string;
  /** Concrete actions, most important first. */
  actions: string[];
}

export interface ActionTable {
  name?: string;
  description?: string;
  /** Segment name → actions. */
  actions: Record<string, SegmentActions>;
}

const TABLE_FIELDS = ['name', 'description', 'actions'];
const ENTRY_FIELDS = ['summary', 'actions'];

/**
 * Parse and check an action table given as JSON text or an object: `{ "actions": { "Champions":
 * { "summary": "…", "actions": ["…", …] }, … } }`. A bare map of names is accepted too.
 * @throws SegkitError `profile/actions_not_json`, `profile/actions_invalid`, `profile/actions_unknown_field`.
 */
export function parseActionTable(input: string | unknown, where = 'action table'): ActionTable {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new SegkitError('profile', 'actions_not_json', `the action table is not valid JSON: ${(e as Error).message}`, { where, cause: e });
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SegkitError('profile', 'actions_invalid', 'an action table is { "actions": { "<segment name>": { "summary": "…", "actions": ["…"] } } }', { where });
  }
  const obj = raw as Record<string, unknown>;
  const bare = !('actions' in obj) || typeof obj.actions !== 'object' || Array.isArray(obj.actions);
  const map = (bare ? obj : obj.actions) as Record<string, unknown>;
  if (!bare) {
    for (const k of Object.keys(obj)) {
      if (!TABLE_FIELDS.includes(k)) {
        throw unknownActionField(k, 'the action table', TABLE_FIELDS, 'table fields', where);
      }
    }
  }
  const actions: Record<string, SegmentActions> = {};
  for (const [name, entry] of Object.entries(map)) {
    const at = `${where}, entry "${name}"`;
    if (typeof entry === 'string') {
      actions[name] = { summary: entry, actions: [entry] };
      continue;
    }
    if (Array.isArray(entry)) {
      if (!entry.length || !entry.every((a) => typeof a === 'string')) {
        throw new SegkitError('profile', 'actions_invalid', `the actions of "${name}" must be a non-empty list of text`, { where: at });
      }
      actions[name] = { summary: entry[0], actions: [...entry] };
      continue;
    }
    if (typeof entry !== 'object' || entry === null) {
      throw new SegkitError('profile', 'actions_invalid', `"${name}" must be { "summary": "…", "actions": ["…"] }, got ${JSON.stringify(entry)}`, { where: at });
    }
    const e = entry as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!ENTRY_FIELDS.includes(k)) {
        throw unknownActionField(k, `the actions of "${name}"`, ENTRY_FIELDS, 'fields', at);
      }
    }
    const list = e.actions;
    if (!Array.isArray(list) || !list.length || !list.every((a) => typeof a === 'string' && a.trim() !== '')) {
      throw new SegkitError('profile', 'actions_invalid', `"${name}".actions must be a non-empty list of text, got ${JSON.stringify(list)}`, { where: `${at}, field actions` });
    }
    if (e.summary !== undefined && typeof e.summary !== 'string') {
      throw new SegkitError('profile', 'actions_invalid', `"${name}".summary must be text, got ${JSON.stringify(e.summary)}`, { where: `${at}, field summary` });
    }
    actions[name] = { summary: (e.summary as string | undefined) ?? (list[0] as string), actions: [...(list as string[])] };
  }
  if (!Object.keys(actions).length) throw new SegkitError('profile', 'actions_invalid', 'the action table names no segment', { where });
  return {
    ...(!bare && typeof obj.name === 'string' ? { name: obj.name } : {}),
    ...(!bare && typeof obj.description === 'string' ? { description: obj.description } : {}),
    actions,
  };
}

/** The default action table, from src/data/actions.json. */
export const DEFAULT_ACTIONS: ActionTable = parseActionTable(defaultTable, 'src/data/actions.json');

/** Without an entry for the segment: a neutral recommendation. */
const FALLBACK: SegmentActions = {
  summary: 'Review this segment before acting',
  actions: ['Look at its profile and top products to choose an offer', 'Test a small campaign and measure the response before rolling it out'],
};

/**
 * Actions for a segment name: the entry of the name itself, else of its segment (the name without a
 * qualifier in brackets or a trailing number: "Lost (higher spend)" → "Lost"), else a neutral default.
 * Matching ignores case. User tables are merged over the defaults (their entries win).
 */
export function actionsFor(name: string, table?: ActionTable | null, segment?: string): SegmentActions & { matched: string | null } {
  const merged: Record<string, SegmentActions> = { ...DEFAULT_ACTIONS.actions, ...(table?.actions ?? {}) };
  const keys = Object.keys(merged);
  const find = (n: string | undefined): string | undefined => (n === undefined ? undefined : keys.find((k) => k.toLowerCase() === n.trim().toLowerCase()));
  const base = name.replace(/\s*\(.*\)\s*$/, '').replace(/\s+\d+$/, '');
  const key = find(name) ?? find(segment) ?? find(base);
  const entry = key ? merged[key] : FALLBACK;
  return { summary: entry.summary, actions: [...entry.actions], matched: key ?? null };
}
