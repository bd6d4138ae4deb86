/// <reference types="node" preserve="true" />
/**
 * @conceptlab/sim-server — `conceptlab serve`'s engine: a local OpenAI-compatible server on 127.0.0.1 answered
 * by simulated observers (triplet-sampler's `Observer`), with fault injection and the Files/Batches endpoints.
 * Everything exported here is the package's public API.
 */
export { startServer, DEFAULT_MODEL_NAME, type ServeOptions, type RunningServer, type ServerStats } from './server.js';
export { startServerThread, type ServerThreadOptions } from './server-thread.js';
export { simObserver, type SimObserverOptions } from './observer.js';
export { wordVectorObserver, type WordVectorObserver, type WordVectorObserverOptions, type WordVectorSource } from './word-vectors.js';
export { parseObserverSpec, OBSERVER_SPECS, type ObserverSpecOptions } from './observer-spec.js';
export { MALFORMED_CONTENT, type FaultOptions } from './faults.js';
