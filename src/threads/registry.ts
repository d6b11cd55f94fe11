/**
 * The worker-task registry: a stage that wants work done on worker threads defines a task here (a name,
 * the file that defines it, and the function a worker runs). The worker entry (./worker.ts) loads that
 * file on first use, which registers the task in the worker too, so threads/ never imports a stage:
 * cluster/ defines the k-means restarts task, select-k/ the gap and stability tasks.
 */

/** A message to a worker: the task's own fields plus the control block the pool adds. */
export type TaskMessage = Record<string, unknown> & { ctrl: SharedArrayBuffer };

/** The function a worker runs for a message; `progress` is a shared counter it may add to. */
export type TaskRun<M> = (message: M & TaskMessage, progress: Int32Array) => void;

export interface Task<M = Record<string, unknown>> {
  /** Unique name, e.g. 'select-k/gap'. */
  readonly name: string;
  /** The module that defines the task (its __filename): a worker loads it to register the task. */
  readonly file: string;
  readonly run: TaskRun<M>;
}

const tasks = new Map<string, Task<never>>();

/**
 * Define (and register) a worker task. Call it at the top level of the module named by `file` (pass
 * `__filename`), so loading that module in a worker registers the same task there.
 */
export function defineTask<M extends object>(name: string, file: string, run: TaskRun<M>): Task<M> {
  const task: Task<M> = { name, file, run };
  tasks.set(name, task as unknown as Task<never>);
  return task;
}

/** The task of a name, loading its defining module first when this thread has not yet. */
export function taskNamed(name: string, file: string, load: (file: string) => void): Task<Record<string, unknown>> {
  if (!tasks.has(name)) load(file);
  const task = tasks.get(name);
  if (!task) throw new Error(`no worker task "${name}" after loading ${file}`);
  return task as unknown as Task<Record<string, unknown>>;
}
