/**
 * `conceptlab serve`'s engine: a local OpenAI-compatible server answered by simulated observers.
 * The package's src/index.ts re-exports this module's public API.
 */
export { startServer, DEFAULT_MODEL_NAME, type ServeOptions, type RunningServer, type ServerStats } from './server.js';
export { simObserver, type Observer, type Position, type PresentedTriplet, type SimObserverOptions } from './observer.js';
export { wordVectorObserver, type WordVectorObserver, type WordVectorObserverOptions, type WordVectorSource } from './word-vectors.js';
export { parseObserverSpec, OBSERVER_SPECS, type ObserverSpecOptions } from './observer-spec.js';
export { MALFORMED_CONTENT, type FaultOptions } from './faults.js';
