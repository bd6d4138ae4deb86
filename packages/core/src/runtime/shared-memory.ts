/** A typed array that {@link shareArray} can place in shared memory. */
export type ShareableArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/**
 * `a` in shared memory, for worker threads to read (and write) without a copy each: `a` itself when it already
 * lives on a SharedArrayBuffer, else one copy of the same type and length on a new SharedArrayBuffer.
 * (Typed arrays on a SharedArrayBuffer posted to a worker, or given as `workerData`, are shared, not copied.)
 */
export function shareArray<A extends ShareableArray>(a: A): A {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => A;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}
