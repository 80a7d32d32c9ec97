import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/**
 * Makes it safe to terminate a scan worker (timeout, SIGINT) while it is busy in tree-sitter.
 *
 * tree-sitter's node binding throws a C++ exception when one of its calls fails because the worker is
 * being terminated, and that exception aborts the whole process ("terminate called after throwing an
 * instance of 'Napi::Error'"). So a worker must only be terminated while it runs JavaScript. This module
 * wraps every native entry point of the binding (it must be imported before tree-sitter is first loaded)
 * and keeps one shared cell per running batch:
 *
 *   JS (0) <-> NATIVE (1)        the worker, on entering and leaving the binding
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
  return function (this: unknown) {
    // Hot path (every node property read goes through here): no rest parameters, no work outside a batch.
    // eslint-disable-next-line prefer-rest-params
    const args = arguments as unknown as unknown[];
    if (cell === undefined) return fn.apply(this, args);
    enterNative();
    try {
      return fn.apply(this, args);
    } finally {
      leaveNative();
    }
  };
}

function guardedGetter(get: AnyFunction): AnyFunction {
  return function (this: unknown) {
    if (cell === undefined) return get.call(this);
    enterNative();
    try {
      return get.call(this);
    } finally {
      leaveNative();
    }
  };
}

function guardMembers(target: object): void {
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(target))) {
    if (key === 'constructor' || !descriptor.configurable) continue;
    if (typeof descriptor.value === 'function') {
      Object.defineProperty(target, key, { ...descriptor, value: guarded(descriptor.value as AnyFunction) });
    } else if (descriptor.get || descriptor.set) {
      Object.defineProperty(target, key, {
        ...descriptor,
        ...(descriptor.get ? { get: guardedGetter(descriptor.get as AnyFunction) } : {}),
        ...(descriptor.set ? { set: guarded(descriptor.set as AnyFunction) } : {}),
      });
    }
  }
}

let installed = false;

/** Wraps the binding's classes, methods and functions in place. Idempotent; call before tree-sitter loads. */
export function installNativeGuard(): void {
  if (installed) return;
  installed = true;
  const requireFromCore = createRequire(createRequire(import.meta.url).resolve('@nixforge/core'));
  const treeSitterDir = dirname(requireFromCore.resolve('tree-sitter/package.json'));
  const requireFromTreeSitter = createRequire(`${treeSitterDir}/index.js`);
  const binding = (requireFromTreeSitter('node-gyp-build') as (dir: string) => Record<string, unknown>)(treeSitterDir);
  for (const [name, value] of Object.entries(binding)) {
    if (typeof value !== 'function') continue;
    const isClass = typeof (value as { prototype?: unknown }).prototype === 'object' && /^[A-Z]/.test(name);
    if (isClass) {
      guardMembers((value as { prototype: object }).prototype);
      binding[name] = new Proxy(value, {
        construct(target, args, newTarget) {
          enterNative();
          try {
            return Reflect.construct(target, args, newTarget) as object;
          } finally {
            leaveNative();
          }
        },
      });
    } else {
      binding[name] = guarded(value as AnyFunction);
    }
  }
  for (const value of Object.values(binding)) {
    if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) guardMembers(value);
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
