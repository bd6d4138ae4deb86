/**
 * Typed errors of the chat client that stop work rather than fail one request. Each is a
 * {@link ConceptlabError} with a `_tag`, so callers (the CLI) branch on the tag instead of parsing messages.
 * No message ever carries the API key: messages built from server replies pass through the client's
 * redaction first.
 */
import { ConceptlabError } from '@conceptlab/core';

/**
 * A failure that no retry can fix and that every further request would repeat (the server rejected the
 * API key, the model does not exist, the account has no quota): the run stops, rows stay pending.
 * `status` is the HTTP status when there was one. The message is redacted.
 */
export class AnnotateFatalError extends ConceptlabError {
  readonly _tag = 'AnnotateFatalError' as const;
  readonly status: number | undefined;
  readonly kind: string;
  constructor(kind: string, status: number | undefined, message: string) {
    super(message);
    this.name = 'AnnotateFatalError';
    this.kind = kind;
    this.status = status;
  }
}

/** Work stopped by the caller's AbortSignal. */
export class AbortedError extends ConceptlabError {
  readonly _tag = 'AbortedError' as const;
  constructor(message = 'aborted') {
    super(message);
    this.name = 'AbortedError';
  }
}
