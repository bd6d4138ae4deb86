/// <reference types="node" preserve="true" />
/**
 * @conceptlab/llm-annotator — odd-one-out judgments from any OpenAI-compatible LLM or MLLM, journalled and
 * resumable, and `serve`, a local OpenAI-compatible server answered by simulated observers.
 * Everything exported here is the package's public API.
 */
export * from './protocol.js';
export {
  DU2024_CITATION,
  PROMPT_PLACEHOLDERS,
  PROMPT_PRESETS,
  DEFAULT_PROMPT,
  validateTemplate,
  resolvePrompt,
  renderPrompt,
  type PromptTemplate,
} from './prompts.js';
export {
  JPEG_QUALITY,
  IMAGE_EXTENSIONS,
  imageMime,
  compositeImages,
  encodeImage,
  imageDataUrl,
  findConceptImage,
  type ImageFormat,
  type ImageMime,
} from './composite.js';
export {
  DEFAULT_TEMPERATURE,
  DEFAULT_MAX_TOKENS,
  ANSWER_TOOL_DESCRIPTION,
  resolveRequestSpec,
  buildChatRequest,
  canonicalJson,
  requestKey,
  type RequestSpec,
  type RequestInput,
} from './request.js';
export {
  matchAnswerOption,
  normalizeReplyText,
  parseReply,
  type ChoicePosition,
  type ChoiceVia,
  type ParsedChoice,
  type ReplyMessage,
  type ParseContext,
} from './parse/index.js';
export { rowSeed, presentationOrder, presentedObjects } from './presentation.js';
export { annotate, annotateConfig, prepareAnnotation, type AnnotateOptions, type AnnotateSummary, type JournalStanding, journalStanding } from './annotate.js';
export { annotateBatch, BATCH_LIMITS, BATCH_ENDPOINT, type BatchAnnotateOptions, type BatchAnnotateSummary, type BatchStatus, type BatchEntry } from './batch.js';
export { createChatClient, readApiKey, makeRedactor, type ChatClient, type ChatClientOptions, type ChatReply } from './client.js';
export {
  JOURNAL_FORMAT,
  JOURNAL_VERSION,
  openJournal,
  openJournalReadOnly,
  hashTriplets,
  hashConcepts,
  sanitizeBaseUrl,
  configDifference,
  type Journal,
  type JournalConfig,
  type JournalCounts,
  type JournalUsage,
  type ItemRecord,
  type ItemStatus,
  type StoredReply,
  type AttemptRecord,
} from './journal/index.js';
export { openRequestCache, REQUEST_CACHE_FORMAT, REQUEST_CACHE_VERSION, type RequestCache, type CachedReply, type CacheReply, type CacheUsage, type CachedChatResult, type CachedChatOptions } from './request-cache.js';
export { createRateLimiter, type RateLimiter, type RateLimitOptions } from './rate-limit.js';
export {
  withRetry,
  createCircuitBreaker,
  backoffDelay,
  retryDelay,
  parseRetryAfter,
  DEFAULT_RETRY_POLICY,
  RequestFailedError,
  type RetryPolicy,
  type CircuitBreaker,
  type CircuitBreakerOptions,
} from './retry.js';
export { PRICES, BATCH_DISCOUNT, priceFor, parsePrice, costUsd, type Price } from './pricing.js';
export { parseShard, checkShard, inShard, shardRowCount, type Shard } from './shard.js';
export { exportJournal, answeredTriplet, type ExportFormat, type ExportOptions, type ExportResult, type SplitPart } from './export.js';
export { mergeJournals, type MergeResult as JournalMergeResult } from './merge-journals.js';
export { summarizeJournal, type JournalSummary, type SummaryOptions } from './summary.js';
export {
  JournalConfigMismatchError,
  JournalExistsError,
  JournalLockedError,
  JournalFormatError,
  JournalConflictError,
  AnnotateFatalError,
  JournalIncompleteError,
  AbortedError,
} from './errors.js';
export * from './server/index.js';
