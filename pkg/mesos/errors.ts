/**
 * Errors the Mesos clients raise. All are BorealisErrors (so the API and CLI edges can translate
 * them); MesosHttpError additionally carries what the master answered, because its plain-text body
 * ("Framework cannot be found", "Failed to validate ...") is the only diagnosis Mesos gives.
 */
import { BorealisError, type ErrorCode } from '../errors/index.js';

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return 'Internal';
  }
}

/** The master answered a call with a status the call does not succeed with. */
export class MesosHttpError extends BorealisError {
  /** HTTP status the master answered with. */
  readonly status: number;
  /** The master's answer body (plain text), trimmed. */
  readonly body: string;
  /** What was being done, e.g. "ACCEPT" or "SUBSCRIBE" or "GET_AGENTS". */
  readonly callType: string;
  /** The URL that answered (after redirects). */
  readonly url: string;

  constructor(callType: string, url: string, status: number, body: string) {
    const text = body.trim();
    super(
      codeForStatus(status),
      `Mesos master answered ${callType} with ${status}${text ? `: ${text}` : ''}`,
    );
    this.name = 'MesosHttpError';
    this.status = status;
    this.body = text;
    this.callType = callType;
    this.url = url;
  }
}

/** The master could not be reached or the connection broke (retryable). */
export class MesosConnectionError extends BorealisError {
  readonly url: string;
  constructor(message: string, url: string, cause?: unknown) {
    super('ServiceUnavailable', message, cause === undefined ? {} : { cause });
    this.name = 'MesosConnectionError';
    this.url = url;
  }
}

/**
 * The event stream held something that is not Mesos RecordIO-framed JSON events. The stream is
 * unusable after this (framing is lost), so the client drops the connection and re-subscribes.
 */
export class MesosStreamError extends BorealisError {
  constructor(message: string, cause?: unknown) {
    super('ServiceUnavailable', message, cause === undefined ? {} : { cause });
    this.name = 'MesosStreamError';
  }
}

/** The caller asked for something the client refuses to send (it would only earn a 400). */
export class MesosCallRejected extends BorealisError {
  constructor(message: string) {
    super('Invalid', message);
    this.name = 'MesosCallRejected';
  }
}

/**
 * The master sent an ERROR event ("Framework failed over", "Framework has been removed", an
 * authorization failure). Mesos asks schedulers to stop on it: re-subscribing would fight the
 * scheduler that took over, or fail again, so the client stops and leaves the decision to its owner.
 */
export class MesosMasterError extends BorealisError {
  readonly masterMessage: string;
  constructor(masterMessage: string) {
    super('Conflict', `Mesos master sent ERROR: ${masterMessage || '(no message)'}`);
    this.name = 'MesosMasterError';
    this.masterMessage = masterMessage;
  }
}

/** The master answered 2xx, but with a body that is not what the call returns. */
export class MesosProtocolError extends BorealisError {
  constructor(message: string, cause?: unknown) {
    super('Internal', message, cause === undefined ? {} : { cause });
    this.name = 'MesosProtocolError';
  }
}
