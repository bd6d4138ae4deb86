/// <reference types="node" preserve="true" />
/**
 * @conceptlab/llm-client — an OpenAI-compatible chat client: the API key from the environment (never logged),
 * retries with backoff and a circuit breaker, rate limits, a request cache in a JSON-lines file, model prices,
 * and the odd-one-out wire protocol shared by @conceptlab/llm-annotator and @conceptlab/sim-server.
 * Everything exported here is the package's public API.
 */

// The chat client
export {
  createChatClient,
  DEFAULT_REQUEST_TIMEOUT_MS,
  MAX_REQUEST_TIMEOUT_MS,
  readApiKey,
  makeRedactor,
  type ChatClient,
  type ChatClientOptions,
  type ChatReply,
  type ChatMessage,
  type ChatRequestBody,
} from './client.js';
export { AnnotateFatalError, AbortedError } from './errors.js';

// Retries, circuit breaker, rate limits and the clock they wait on
export {
  withRetry,
  createCircuitBreaker,
  backoffDelay,
  retryDelay,
  parseRetryAfter,
  checkRetryPolicy,
  DEFAULT_RETRY_POLICY,
  RequestFailedError,
  CircuitOpenError,
  countsAsOutage,
  type FailureKind,
  type RequestFailure,
  type RetryPolicy,
  type RetryContext,
  type RetryOutcome,
  type CircuitBreaker,
  type CircuitBreakerOptions,
} from './retry.js';
export { createRateLimiter, type RateLimiter, type RateLimitOptions, type Permit, type RateLimiterStats } from './rate-limit.js';
export { systemClock, sleep, type Clock } from './clock.js';

// The preflight: is the endpoint an http(s) URL whose server can be reached?
export {
  checkEndpoint,
  parseBaseUrl,
  EndpointUnreachableError,
  type CheckEndpointOptions,
  type EndpointCheck,
} from './preflight.js';

// Requests: identity and cache
export { canonicalJson, requestKey } from './request-key.js';
export {
  openRequestCache,
  REQUEST_CACHE_FORMAT,
  REQUEST_CACHE_VERSION,
  type RequestCache,
  type CachedReply,
  type CacheReply,
  type CacheUsage,
  type CachedChatResult,
  type CachedChatOptions,
} from './request-cache.js';

// Prices
export { PRICES, BATCH_DISCOUNT, priceFor, parsePrice, costUsd, type Price } from './pricing.js';

// The odd-one-out wire protocol (annotate ↔ sim-server)
export {
  VISION_POSITION_LABELS,
  ANSWER_PROPERTY,
  ANSWER_SCHEMA_NAME,
  ANSWER_TOOL_NAME,
  answerOptions,
  answerJsonSchema,
  type AnnotationMode,
  type AnswerFormat,
  type ImageLayout,
} from './protocol/odd-one-out.js';
export { COMPOSITE } from './protocol/composite.js';
