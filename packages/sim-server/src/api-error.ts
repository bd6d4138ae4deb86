/**
 * An error the server answers in OpenAI's error shape `{ error: { message, type, param, code } }` with an
 * HTTP status. Thrown by request handlers; anything else that escapes a handler becomes a 500.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    message: string,
    options: { type?: string; code?: string | null; param?: string | null; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = options.type ?? defaultType(status);
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
  }

  /** The JSON body OpenAI sends with an error status. */
  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

function defaultType(status: number): string {
  if (status === 401) return 'invalid_request_error';
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** A 400 `invalid_request_error`, optionally naming the offending parameter. */
export function badRequest(message: string, param?: string, code?: string): ApiError {
  return new ApiError(400, message, { param: param ?? null, code: code ?? null });
}

export function notFound(message: string): ApiError {
  return new ApiError(404, message, { code: 'not_found' });
}
