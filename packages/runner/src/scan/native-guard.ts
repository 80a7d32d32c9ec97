import { nixLanguage } from '@nixforge/core';

/**
 * Makes it safe to terminate a scan worker (timeout, SIGINT) while it is busy in native code.
 *
 * Terminating a worker while a native addon is inside an N-API call can abort the whole process (tree-sitter's
 * node binding did so with a C++ exception), so a worker must only be terminated while it runs JavaScript.
 * The scanner's only native call per file is the grammar addon's `parse` (one call parses and flattens the
 * tree; everything after it is JavaScript). This module wraps that entry point and keeps one shared cell per
 * running batch:
 *
 *   JS (0) <-> NATIVE (1)        the worker, on entering and leaving the addon
 *   JS -> STOP_IN_JS (2)         the main thread: terminating is safe at once; the worker parks on its next
 *                                native entry instead of entering
 *   NATIVE -> STOP_IN_NATIVE (3) the main thread: the worker parks as soon as the native call returns
 *   PARKED (4)                   the worker waits forever; terminating it is safe
 *
 * A worker in a pure JavaScript loop never touches the cell and is terminated directly.
 */
export const NATIVE_STATE = { js: 0, native: 1, stopInJs: 2, stopInNative: 3, parked: 4 } as const;

/** Index of the state cell in the batch's shared progress array (see BatchTask.progress). */
export const NATIVE_STATE_INDEX = 2;
const PARK_INDEX = 3;

let cell: Int32Array | undefined;
let depth = 0;

/** Sets the cell the worker reports to while it analyses a batch (undefined between batches). */
export function useNativeStateCell(next: Int32Array | undefined): void {
  cell = next;
  depth = 0;
}

function park(state: Int32Array): never {
  Atomics.store(state, NATIVE_STATE_INDEX, NATIVE_STATE.parked);
  Atomics.notify(state, NATIVE_STATE_INDEX);
  for (;;) Atomics.wait(state, PARK_INDEX, 0);
}

function enterNative(): void {
  const state = cell;
  if (!state || depth++ > 0) return;
  if (Atomics.compareExchange(state, NATIVE_STATE_INDEX, NATIVE_STATE.js, NATIVE_STATE.native) !== NATIVE_STATE.js) park(state);
}

function leaveNative(): void {
  const state = cell;
  if (!state || --depth > 0) return;
  if (Atomics.compareExchange(state, NATIVE_STATE_INDEX, NATIVE_STATE.native, NATIVE_STATE.js) !== NATIVE_STATE.native) park(state);
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

function guarded(fn: AnyFunction): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    if (cell === undefined) return fn.apply(this, args);
    enterNative();
    try {
      return fn.apply(this, args);
    } finally {
      leaveNative();
    }
  };
}

let installed = false;

/** Wraps the grammar addon's native entry points in place. Idempotent. */
export function installNativeGuard(): void {
  if (installed) return;
  installed = true;
  const addon = nixLanguage() as Record<string, unknown>;
  for (const name of ['parse', 'grammar']) {
    const fn = addon[name];
    if (typeof fn === 'function') addon[name] = guarded(fn as AnyFunction);
  }
}

/**
 * Main thread: asks the worker running the batch with this cell to stop at a safe point and resolves
 * once terminating it cannot hit a native call (it runs JavaScript, or is parked).
 */
export async function reachSafePoint(cells: Int32Array): Promise<void> {
  for (;;) {
    const previous = Atomics.compareExchange(cells, NATIVE_STATE_INDEX, NATIVE_STATE.js, NATIVE_STATE.stopInJs);
    if (previous === NATIVE_STATE.js || previous === NATIVE_STATE.stopInJs || previous === NATIVE_STATE.parked) return;
    if (previous === NATIVE_STATE.native) {
      Atomics.compareExchange(cells, NATIVE_STATE_INDEX, NATIVE_STATE.native, NATIVE_STATE.stopInNative);
      continue;
    }
    // stopInNative: wait for the native call to return and the worker to park.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
