import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from './api-error.js';

/** Largest request body accepted (a batch input file of 50,000 requests with images can be large). */
export const MAX_BODY_BYTES = 512 * 1024 * 1024;

/** The whole request body. @throws ApiError 413 when it exceeds `limit`. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new ApiError(413, `request body of ${declared} bytes exceeds the limit of ${limit}`, { code: 'request_too_large' }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new ApiError(413, `request body exceeds the limit of ${limit} bytes`, { code: 'request_too_large' }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parse a JSON request body. @throws ApiError 400 naming the problem. */
export function parseJsonBody(buf: Buffer): unknown {
  if (buf.length === 0) throw badRequest('expected a JSON body, got an empty body');
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw badRequest(`We could not parse the JSON body of your request. (${(e as Error).message})`, undefined, 'invalid_json');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

export function sendBytes(res: ServerResponse, status: number, data: Buffer, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': data.length });
  res.end(data);
}

export function sendError(res: ServerResponse, e: ApiError): void {
  sendJson(res, e.status, e.body(), { ...e.headers });
}
