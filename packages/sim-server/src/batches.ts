import { randomBytes } from 'node:crypto';
import { ApiError, badRequest, notFound } from './api-error.js';

/** A stored file (`GET /v1/files/{id}`). */
export interface StoredFile {
  readonly id: string;
  readonly object: 'file';
  readonly bytes: number;
  readonly created_at: number;
  readonly filename: string;
  readonly purpose: string;
  readonly status: 'processed';
  readonly status_details: null;
  readonly expires_at: null;
}

/** Purposes accepted by `POST /v1/files` (OpenAI's upload purposes). */
export const FILE_PURPOSES: ReadonlySet<string> = new Set(['batch', 'assistants', 'fine-tune', 'vision', 'user_data', 'evals']);

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function newId(prefix: string): string {
  return prefix + randomBytes(12).toString('hex');
}

/** The in-memory Files API: uploads and batch outputs. */
export class FileStore {
  private readonly files = new Map<string, { meta: StoredFile; data: Buffer }>();

  add(filename: string, purpose: string, data: Buffer): StoredFile {
    const meta: StoredFile = {
      id: newId('file-'),
      object: 'file',
      bytes: data.length,
      created_at: now(),
      filename,
      purpose,
      status: 'processed',
      status_details: null,
      expires_at: null,
    };
    this.files.set(meta.id, { meta, data: Buffer.from(data) });
    return meta;
  }

  get(id: string): { meta: StoredFile; data: Buffer } {
    const f = this.files.get(id);
    if (!f) throw notFound(`No such File object: ${id}`);
    return f;
  }

  delete(id: string): { id: string; object: 'file'; deleted: true } {
    this.get(id);
    this.files.delete(id);
    return { id, object: 'file', deleted: true };
  }

  list(): StoredFile[] {
    return [...this.files.values()].map((f) => f.meta).sort((a, b) => b.created_at - a.created_at);
  }
}

export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

export interface BatchError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

/** The batch object of the OpenAI Batch API. */
export interface BatchObject {
  id: string;
  object: 'batch';
  endpoint: string;
  errors: { object: 'list'; data: BatchError[] } | null;
  input_file_id: string;
  completion_window: string;
  status: BatchStatus;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

/** How one batch line was answered: an HTTP status and the response body. */
export interface LineResult {
  readonly status: number;
  readonly body: unknown;
}

/** Answers one request body of a batch (the server's chat-completion path, without transport latency). */
export type LineAnswerer = (body: unknown) => Promise<LineResult>;

export const BATCH_ENDPOINT = '/v1/chat/completions';
/** Lines answered between yields to the event loop, so the server stays responsive during a batch. */
const LINES_PER_TICK = 64;
/** At most this many validation errors are reported. */
const MAX_ERRORS = 20;

interface InputLine {
  readonly customId: string;
  readonly body: unknown;
}

/**
 * The in-memory Batch API. A batch is `validating` when created; on the next turns of the event loop it
 * is validated (every line a JSON object with a unique string `custom_id`, `method` POST, `url` equal to
 * the batch's endpoint and an object `body`; any violation fails the whole batch with `errors`, as
 * OpenAI does), then `in_progress` while its lines are answered (request_counts update as it goes),
 * `finalizing`, then `completed`, with `output_file_id` (the 200 lines) and `error_file_id` (the others),
 * each set only when it has lines. Cancelling stops between lines and keeps the partial results.
 */
export class BatchStore {
  private readonly batches = new Map<string, BatchObject>();
  private closed = false;

  constructor(
    private readonly files: FileStore,
    private readonly answer: LineAnswerer,
  ) {}

  create(params: unknown): BatchObject {
    if (params === null || typeof params !== 'object' || Array.isArray(params)) throw badRequest('expected a JSON object body');
    const p = params as Record<string, unknown>;
    if (typeof p.input_file_id !== 'string') throw badRequest('input_file_id: required', 'input_file_id', 'missing_required_parameter');
    if (p.endpoint !== BATCH_ENDPOINT) throw badRequest(`endpoint: conceptlab serve batches ${BATCH_ENDPOINT} only, got ${JSON.stringify(p.endpoint)}`, 'endpoint');
    if (p.completion_window !== '24h') throw badRequest(`completion_window: expected '24h', got ${JSON.stringify(p.completion_window)}`, 'completion_window');
    const input = this.files.get(p.input_file_id);
    if (input.meta.purpose !== 'batch') throw badRequest(`input_file_id: the file's purpose is '${input.meta.purpose}', expected 'batch'`, 'input_file_id');
    const t = now();
    const batch: BatchObject = {
      id: newId('batch_'),
      object: 'batch',
      endpoint: BATCH_ENDPOINT,
      errors: null,
      input_file_id: p.input_file_id,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: t,
      in_progress_at: null,
      expires_at: t + 24 * 3600,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: p.metadata && typeof p.metadata === 'object' ? (p.metadata as Record<string, string>) : null,
    };
    this.batches.set(batch.id, batch);
    setImmediate(() => void this.run(batch, input.data));
    return { ...batch };
  }

  get(id: string): BatchObject {
    const b = this.batches.get(id);
    if (!b) throw notFound(`No such Batch object: ${id}`);
    return { ...b, request_counts: { ...b.request_counts } };
  }

  list(): BatchObject[] {
    return [...this.batches.values()].reverse().map((b) => this.get(b.id));
  }

  cancel(id: string): BatchObject {
    this.get(id);
    const b = this.batches.get(id)!;
    if (b.status === 'validating' || b.status === 'in_progress') {
      b.status = 'cancelling';
      b.cancelling_at = now();
    } else if (b.status !== 'cancelling' && b.status !== 'cancelled') {
      throw new ApiError(409, `Cannot cancel a batch with status '${b.status}'.`, { type: 'invalid_request_error', code: 'batch_not_cancellable' });
    }
    return this.get(id);
  }

  /** Stop processing every batch (the server is closing). */
  close(): void {
    this.closed = true;
  }

  private validate(data: Buffer): { lines: InputLine[]; errors: BatchError[] } {
    const lines: InputLine[] = [];
    const errors: BatchError[] = [];
    const seen = new Set<string>();
    const err = (line: number, code: string, message: string, param: string | null = null): void => {
      if (errors.length < MAX_ERRORS) errors.push({ code, message, param, line });
    };
    const text = data.toString('utf8').split('\n');
    text.forEach((raw, i) => {
      const lineNo = i + 1;
      if (raw.trim() === '') return;
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        return err(lineNo, 'invalid_json_line', `Line ${lineNo} is not valid JSON.`);
      }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return err(lineNo, 'invalid_json_line', `Line ${lineNo} is not a JSON object.`);
      const o = v as Record<string, unknown>;
      if (typeof o.custom_id !== 'string' || o.custom_id === '') return err(lineNo, 'missing_required_parameter', `Line ${lineNo} has no custom_id.`, 'custom_id');
      if (seen.has(o.custom_id)) return err(lineNo, 'duplicate_custom_id', `The custom_id ${JSON.stringify(o.custom_id)} on line ${lineNo} is not unique.`, 'custom_id');
      seen.add(o.custom_id);
      if (o.method !== 'POST') return err(lineNo, 'invalid_method', `Line ${lineNo}: method must be 'POST'.`, 'method');
      if (o.url !== BATCH_ENDPOINT) return err(lineNo, 'mismatched_endpoint', `Line ${lineNo}: url must be the batch's endpoint ${BATCH_ENDPOINT}.`, 'url');
      if (o.body === null || typeof o.body !== 'object' || Array.isArray(o.body)) return err(lineNo, 'missing_required_parameter', `Line ${lineNo} has no body object.`, 'body');
      lines.push({ customId: o.custom_id, body: o.body });
    });
    if (lines.length === 0 && errors.length === 0) errors.push({ code: 'empty_file', message: 'The input file has no requests.', param: null, line: null });
    return { lines, errors };
  }

  private async run(batch: BatchObject, data: Buffer): Promise<void> {
    if (this.closed) return;
    if (batch.status === 'cancelling') return this.finish(batch, [], []);
    const { lines, errors } = this.validate(data);
    if (errors.length > 0) {
      batch.status = 'failed';
      batch.failed_at = now();
      batch.errors = { object: 'list', data: errors };
      return;
    }
    batch.request_counts.total = lines.length;
    if (batch.status === 'validating') {
      batch.status = 'in_progress';
      batch.in_progress_at = now();
    }
    const out: string[] = [];
    const failed: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (i % LINES_PER_TICK === 0) {
        await new Promise((r) => setImmediate(r));
        if (this.closed) return;
      }
      if (this.status(batch) === 'cancelling') break;
      const { customId, body } = lines[i];
      let r: LineResult;
      try {
        r = await this.answer(body);
      } catch (e) {
        const a = e instanceof ApiError ? e : new ApiError(500, `internal error: ${(e as Error).message}`);
        r = { status: a.status, body: a.body() };
      }
      const record = JSON.stringify({
        id: newId('batch_req_'),
        custom_id: customId,
        response: { status_code: r.status, request_id: newId('req_'), body: r.body },
        error: null,
      });
      if (r.status === 200) {
        out.push(record);
        batch.request_counts.completed++;
      } else {
        failed.push(record);
        batch.request_counts.failed++;
      }
    }
    this.finish(batch, out, failed);
  }

  /** The status, read afresh (cancel() changes it while run() awaits). */
  private status(batch: BatchObject): BatchStatus {
    return batch.status;
  }

  private finish(batch: BatchObject, out: string[], failed: string[]): void {
    const cancelled = batch.status === 'cancelling';
    if (!cancelled) {
      batch.status = 'finalizing';
      batch.finalizing_at = now();
    }
    const jsonl = (rows: string[]): Buffer => Buffer.from(rows.map((r) => r + '\n').join(''));
    if (out.length > 0) batch.output_file_id = this.files.add(`${batch.id}_output.jsonl`, 'batch_output', jsonl(out)).id;
    if (failed.length > 0) batch.error_file_id = this.files.add(`${batch.id}_error.jsonl`, 'batch_output', jsonl(failed)).id;
    if (cancelled) {
      batch.status = 'cancelled';
      batch.cancelled_at = now();
    } else {
      batch.status = 'completed';
      batch.completed_at = now();
    }
  }
}
