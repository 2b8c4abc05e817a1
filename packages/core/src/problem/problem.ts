/**
 * An RFC 9457 problem details object, sent as `application/problem+json`.
 * Extensions are allowed but never carry internal messages, stack traces or submitted values.
 */
export interface Problem {
  /** A stable URI naming the kind of problem, e.g. `urn:sec:problem:body-too-large`. */
  readonly type: string
  /** A short, human-readable summary that does not change between occurrences. */
  readonly title: string
  /** The HTTP status code. */
  readonly status: number
  /** An explanation specific to this occurrence, safe to show to the caller. */
  readonly detail?: string
  readonly [extension: string]: unknown
}

/** The media type of every problem response. */
export const problemContentType = 'application/problem+json'

/** The prefix of every problem `type` @sec defines. */
export const problemTypePrefix = 'urn:sec:problem:'

const statusTitles: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** The standard reason phrase of a status code (`'Error'` for codes without one). */
export function statusTitle(status: number): string {
  return statusTitles[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error')
}

/**
 * A problem that says no more than its status: `type` is `about:blank` and `title` the reason
 * phrase, as RFC 9457 section 4.2.1 prescribes. Used for framework errors such as 404 and 405.
 */
export function statusProblem(status: number, extensions?: Readonly<Record<string, unknown>>): Problem {
  return { ...extensions, type: 'about:blank', title: statusTitle(status), status }
}
