/**
 * The file side of a saved segment model: read its JSON, write it atomically. What the JSON must hold
 * is checked by profile/model.ts (parseModel); this module only touches the file, so profile/ stays pure.
 */
import { promises as fsp } from 'node:fs';
import { SegkitError } from '../errors';
import { writeFileAtomic } from './atomic';

/**
 * The parsed JSON of a model file, not yet checked (pass it to parseModel).
 * @throws SegkitError `model/model_not_found` (no such file), `model/model_unreadable` (cannot be read),
 *   `model/model_not_json` (not valid JSON).
 */
export async function readModelFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SegkitError('model', code === 'ENOENT' ? 'model_not_found' : 'model_unreadable', code === 'ENOENT' ? `model file not found` : `cannot read the model file: ${(e as Error).message}`, {
      where: file,
      hint: code === 'ENOENT' ? 'check the path; segkit report writes one (reports/segmentation-model.json after make report), and saveModel(model, file) in a notebook' : 'check the file permissions',
      cause: e,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new SegkitError('model', 'model_not_json', `the model file is not valid JSON: ${(e as Error).message}`, {
      where: file,
      hint: 'the file may be cut short or not a model; save the model again with saveModel',
      cause: e,
    });
  }
}

/** Write a model as indented JSON with a final newline, atomically (temp name + rename). */
export async function writeModelFile(file: string, model: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(model, null, 2) + '\n');
}
