/// <reference types="node" preserve="true" />
/**
 * @conceptlab/llm-annotator — odd-one-out judgments from any OpenAI-compatible LLM or MLLM, journalled and
 * resumable. The chat client, retries, rate limits, prices and the wire protocol are @conceptlab/llm-client's;
 * the local simulation server is @conceptlab/sim-server.
 * Everything exported here is the package's public API.
 */
export {
  DU2024_CITATION,
  PROMPT_PLACEHOLDERS,
  PROMPT_PRESETS,
  DEFAULT_PROMPT,
  defaultPrompt,
  validateTemplate,
  resolvePrompt,
  renderPrompt,
  type PromptTemplate,
} from './prompts.js';
export {
  JPEG_QUALITY,
  imageMime,
  compositeImages,
  encodeImage,
  imageDataUrl,
  type ImageFormat,
  type ImageMime,
} from './composite.js';
export {
  DEFAULT_TEMPERATURE,
  DEFAULT_MAX_TOKENS,
  ANSWER_TOOL_DESCRIPTION,
  resolveRequestSpec,
  buildChatRequest,
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
export { annotate, annotateConfig, prepareAnnotation, DEFAULT_MAX_CONSECUTIVE_FAILURES, type AnnotateOptions, type AnnotateSummary, type JournalStanding, journalStanding } from './annotate.js';
export { annotateBatch, BATCH_LIMITS, BATCH_ENDPOINT, type BatchAnnotateOptions, type BatchAnnotateSummary, type BatchStatus, type BatchEntry } from './batch.js';
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
// The shard rule is core's (spose-embed shards seed lists by it too); kept here for existing importers.
export { parseShard, checkShard, inShard, shardRowCount, type Shard } from '@conceptlab/core';
export { exportJournal, answeredTriplet, type ExportFormat, type ExportOptions, type ExportResult, type SplitPart } from './export.js';
export { mergeJournals, type MergeResult as JournalMergeResult } from './merge-journals.js';
export { summarizeJournal, type JournalSummary, type SummaryOptions } from './summary.js';
export {
  JournalConfigMismatchError,
  JournalExistsError,
  JournalLockedError,
  JournalFormatError,
  JournalConflictError,
  JournalOverlapError,
  JournalIncompleteError,
  NothingAnsweredError,
  AnnotateStoppedError,
} from './errors.js';
