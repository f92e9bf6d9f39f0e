// A small client of Holdfast's HTTP API (API.md): JSON in and out; a refusal becomes an ApiError carrying the
// problem's machine `code`, which pages turn into a message of their own with errorMessage().

export class ApiError extends Error {
  constructor(status, code, detail, problem, retryAfter) {
    super(detail || code);
    this.status = status;
    this.code = code;
    this.detail = detail || '';
    this.problem = problem || null;
    this.retryAfter = retryAfter;
  }
}

/**
 * Sends one request; resolves to the parsed JSON body (null for 204), rejects with ApiError. `preloaded: true` is for
 * a GET the page's HTML already started with `<link rel="preload" as="fetch" crossorigin>`: the browser hands over
 * that response only to a request that looks exactly like the preload (no headers of its own, default cache mode;
 * the API answers `no-store` anyway, so nothing is kept).
 */
export async function request(method, path, { body, headers = {}, signal, preloaded = false } = {}) {
  const init = preloaded ? { method, signal, credentials: 'same-origin' } : {
    method,
    headers: { Accept: 'application/json, application/problem+json', ...headers },
    signal,
    cache: 'no-store',
    credentials: 'same-origin',
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', String(error));
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const code = data && data.code ? data.code : response.status >= 500 ? 'server_error' : 'unknown';
    const retryAfter = Number(response.headers.get('Retry-After')) || undefined;
    throw new ApiError(response.status, code, data && data.detail, data, retryAfter);
  }
  return data;
}

export const api = {
  get: (path, options) => request('GET', path, options),
  post: (path, body, options = {}) => request('POST', path, { ...options, body }),
  put: (path, body, options = {}) => request('PUT', path, { ...options, body }),
  patch: (path, body, options = {}) => request('PATCH', path, { ...options, body }),
  delete: (path, options) => request('DELETE', path, options),
};

/** `?a=1&b=2` from an object, leaving out null, undefined and empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * The message for a refusal in the page's language: `error.<code>` of the message file (e.g. `error.slot_held`),
 * `error.unknown` when the file has none for the code. `{seconds}` is filled in for rate limits.
 */
export function errorMessage(error, t) {
  const code = error && error.code ? error.code : 'unknown';
  const key = `error.${code}`;
  const params = { seconds: error && error.retryAfter ? error.retryAfter : 60 };
  const text = t(key, params);
  return text === key ? t('error.unknown', params) : text;
}

/**
 * A random UUID. crypto.randomUUID() exists only in secure contexts, and the booking page framed by a salon's plain
 * http site is not one; getRandomValues() works everywhere.
 */
export function uuid() {
  if (crypto.randomUUID && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An opaque client id kept per browser tab (API.md: 8-64 chars of [A-Za-z0-9_-]). */
export function clientId() {
  const key = 'holdfast.clientId';
  try {
    let id = sessionStorage.getItem(key);
    if (!id) {
      id = uuid();
      sessionStorage.setItem(key, id);
    }
    return id;
  } catch {
    return uuid();
  }
}
