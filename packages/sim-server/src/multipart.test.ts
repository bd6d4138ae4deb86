import { ApiError } from './api-error.js';
import { dispositionParams, multipartBoundary, parseMultipart } from './multipart.js';

describe('multipart/form-data', () => {
  test('what fetch sends (FormData with a text field and a file) parses back to the same parts', async () => {
    const form = new FormData();
    form.append('purpose', 'batch');
    const jsonl = '{"custom_id":"a"}\r\n{"custom_id":"b"}\n';
    form.append('file', new Blob([jsonl], { type: 'application/jsonl' }), 'requests "1".jsonl');
    const req = new Request('http://x/', { method: 'POST', body: form });
    const boundary = multipartBoundary(req.headers.get('content-type')!);
    expect(boundary).toBeDefined();
    const parts = parseMultipart(Buffer.from(await req.arrayBuffer()), boundary!);
    expect(parts.map((p) => [p.name, p.filename, p.data.toString()])).toEqual([
      ['purpose', undefined, 'batch'],
      ['file', 'requests %221%22.jsonl', jsonl],
    ]);
    expect(parts[1].contentType).toBe('application/jsonl');
  });

  test('boundaries, quoted and RFC 5987 parameters', () => {
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary=xyz')).toBe('xyz');
    expect(multipartBoundary('application/json')).toBeUndefined();
    const p = dispositionParams(`form-data; name="file"; filename="a\\"b.jsonl"; filename*=UTF-8''%C3%A9t%C3%A9.jsonl`);
    expect(p.get('name')).toBe('file');
    expect(p.get('filename')).toBe('été.jsonl');
  });

  test('binary data is kept byte for byte; malformed bodies are a 400', () => {
    const data = Buffer.from([0, 255, 13, 10, 45, 45, 1]);
    const body = Buffer.concat([
      Buffer.from('preamble\r\n--B\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\n'),
      data,
      Buffer.from('\r\n--B--\r\n'),
    ]);
    expect(parseMultipart(body, 'B')[0].data.equals(data)).toBe(true);
    expect(() => parseMultipart(Buffer.from('no boundary'), 'B')).toThrow(ApiError);
    expect(() => parseMultipart(Buffer.from('--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated'), 'B')).toThrow(/closing boundary/);
    expect(() => parseMultipart(Buffer.from('--B\r\nX: y\r\n\r\nv\r\n--B--'), 'B')).toThrow(/Content-Disposition/);
  });
});
