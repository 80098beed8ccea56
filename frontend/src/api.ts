/** One way to call the API (same origin, under /api) and one error type carrying Code and Message. */
import { t } from './texts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  token?: string | null;
  keepalive?: boolean;
  signal?: AbortSignal;
}

/** Calls `/api<path>`; resolves with the JSON body or throws ApiError with the API's Message verbatim. */
export async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      keepalive: options.keepalive ?? false,
      signal: options.signal,
      credentials: 'same-origin',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', t.networkError);
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const err = (data ?? {}) as { Code?: string; Message?: string };
    throw new ApiError(response.status, err.Code ?? `HTTP_${response.status}`, err.Message ?? t.genericError);
  }
  return data as T;
}

/** The text to show for any failure: an API error's Message as written, else a generic text. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return t.genericError;
}
