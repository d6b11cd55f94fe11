/** Worker thread entry (see ./pool.ts): runs the registered task a message names, on shared memory. */
import { parentPort } from 'node:worker_threads';
import { taskNamed, type TaskMessage } from './registry';

interface Message extends TaskMessage {
  task: string;
  file: string;
}

// The task's module is loaded by its compiled path (dist/…/x.js), which registers the task in this thread.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (file: string): void => void require(file);

parentPort?.on('message', (m: Message) => {
  const ctrl = new Int32Array(m.ctrl, 0, 3);
  try {
    taskNamed(m.task, m.file, load).run(m, ctrl.subarray(2, 3));
  } catch (e) {
    const text = new TextEncoder().encode(String((e as Error)?.stack ?? e).slice(0, 1000));
    new Uint8Array(m.ctrl, 12, 1024).set(text.subarray(0, 1023));
    Atomics.store(ctrl, 1, 1);
  } finally {
    Atomics.add(ctrl, 0, 1);
    Atomics.notify(ctrl, 0);
  }
});
