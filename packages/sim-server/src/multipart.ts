import { badRequest } from './api-error.js';

/** One part of a multipart/form-data body. */
export interface FormPart {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

/** The `boundary` parameter of a multipart/form-data content type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType.trim())) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The parameters of a Content-Disposition header value (`form-data; name="file"; filename="a.jsonl"`). */
export function dispositionParams(value: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) {
    const key = m[1].toLowerCase();
    let v = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3].trim();
    if (key.endsWith('*')) {
      // RFC 5987: charset'lang'percent-encoded
      const q = /^([^']*)'[^']*'(.*)$/.exec(v);
      if (q) {
        try {
          v = decodeURIComponent(q[2]);
        } catch {
          /* keep as is */
        }
      }
      out.set(key.slice(0, -1), v);
    } else if (!out.has(key)) out.set(key, v);
  }
  return out;
}

/**
 * Parse a multipart/form-data body (RFC 7578): the parts between `--boundary` delimiters, each with
 * headers (Content-Disposition with `name` and optional `filename`, optional Content-Type), a blank line
 * and the data. Part data are views of `body`, not copies.
 *
 * @throws ApiError (400) for a body that is not well-formed multipart.
 */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const open = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(open);
  if (pos < 0) throw badRequest('malformed multipart body: no opening boundary');
  pos += open.length;
  const parts: FormPart[] = [];
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // closing "--"
    // transport padding, then CRLF
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw badRequest('malformed multipart body: expected CRLF after a boundary');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw badRequest('malformed multipart body: a part without a blank line after its headers');
    const headers = new Map<string, string>();
    for (const line of body.toString('utf8', pos, headerEnd).split('\r\n')) {
      const c = line.indexOf(':');
      if (c > 0) headers.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
    }
    const dataStart = headerEnd + 4;
    const end = body.indexOf(delimiter, dataStart);
    if (end < 0) throw badRequest('malformed multipart body: a part without a closing boundary');
    const disposition = headers.get('content-disposition');
    if (!disposition || !/^form-data\b/i.test(disposition)) throw badRequest('malformed multipart body: a part without Content-Disposition: form-data');
    const params = dispositionParams(disposition);
    const name = params.get('name');
    if (name === undefined) throw badRequest('malformed multipart body: a part without a name');
    parts.push({ name, filename: params.get('filename'), contentType: headers.get('content-type'), data: body.subarray(dataStart, end) });
    pos = end + delimiter.length;
  }
}
