/**
 * Give Polars' memory back between steps on large inputs. A DataFrame's columns live outside V8's heap,
 * so V8 sees only small wrapper objects and may keep an unreachable 1 GB table alive until some later
 * collection; a full collection at the end of a step frees them (10M lines: `explore` peaks 3.9 GB
 * without, 2.7 GB with). The flag is set at run time; where that is refused, this does nothing.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/** Run a full garbage collection when the table just worked on was large (≥ `rows` rows). */
export function releaseMemory(rows = Infinity, threshold = 1_000_000): void {
  if (rows < threshold) return;
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
