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

/** Sends one request; resolves to the parsed JSON body (null for 204), rejects with ApiError. */
export async function request(method, path, { body, headers = {}, signal } = {}) {
  const init = {
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

/** An opaque client id kept per browser tab (API.md: 8-64 chars of [A-Za-z0-9_-]). */
export function clientId() {
  const key = 'holdfast.clientId';
  try {
    let id = sessionStorage.getItem(key);
    if (!id) {
      id = crypto.randomUUID();
      sessionStorage.setItem(key, id);
    }
    return id;
  } catch {
    return crypto.randomUUID();
  }
}
