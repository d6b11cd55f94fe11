/**
 * The running tslab kernel, as seen from code in a cell: publish a MIME bundle as one display_data
 * message (tslab's public `display` sends one MIME type per message), and update one in place.
 *
 * tslab keeps the current cell's output writer in `dist/jupyter.js` (`lastWriteDisplayData`). The
 * module is looked up among the loaded modules, so the kernel's own copy is used whichever tslab
 * the kernel was started from (the notebook's checkout, another one, a global install).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** A Jupyter MIME bundle: MIME type → data (text, base64 for images, or JSON). */
export type MimeBundle = Record<string, unknown>;

/** One display: its bundle and per-type metadata (e.g. `{ 'image/png': { width, height } }`). */
export interface DisplayMessage {
  data: MimeBundle;
  metadata?: Record<string, unknown>;
}

type WriteDisplayData = (content: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

const TSLAB_JUPYTER = `${path.sep}tslab${path.sep}dist${path.sep}jupyter.js`;

/** The kernel's display writer, or null outside a tslab kernel (or with TSLAB_DISABLE_DISPLAY set). */
function writer(): WriteDisplayData | null {
  if (process.env.TSLAB_DISABLE_DISPLAY) return null;
  if (!(globalThis as { __tslab__?: unknown }).__tslab__) return null;
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!file.endsWith(TSLAB_JUPYTER)) continue;
    const w = (mod?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof w === 'function') return w as WriteDisplayData;
  }
  return null;
}

/** Whether code runs inside a tslab kernel that can display rich output. */
export function inKernel(): boolean {
  return writer() !== null;
}

/** Send one display_data message to the cell that is running. Returns false outside a kernel. */
export function publish(message: DisplayMessage): boolean {
  const w = writer();
  if (!w) return false;
  w({ data: message.data, metadata: message.metadata ?? {}, transient: {} }, false);
  return true;
}

/** A display that can be replaced in place (Jupyter's display_id), e.g. a progress line. */
export interface LiveDisplay {
  /** Show `message`: the first call adds the output, later calls replace it. */
  update(message: DisplayMessage): void;
}

/** A new in-place display, or null outside a kernel. */
export function liveDisplay(): LiveDisplay | null {
  const w = writer();
  if (!w) return null;
  const id = randomBytes(8).toString('hex');
  let shown = false;
  return {
    update(message) {
      // The cell's writer is looked up on every update: it is the one of the cell running now.
      (writer() ?? w)({ data: message.data, metadata: message.metadata ?? {}, transient: { display_id: id } }, shown);
      shown = true;
    },
  };
}
