/**
 * One way to call the API (same origin, under /api), typed by the API's own OpenAPI document:
 * `generated/api.d.ts` is made from /api/openapi.json at build time (scripts/openapi_document.py,
 * then openapi-typescript), so a path, a request body or a response field the API does not have is a
 * compile error. A refusal is an ApiError carrying the API's Code and Message (shown verbatim) and its body.
 */
import type { paths } from '../../generated/api';
import { clientTexts } from '../texts/client';

type Method = 'get' | 'post' | 'put' | 'patch';
type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The paths that have an operation for `M`. */
export type PathOf<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never;
}[keyof paths];

/** The JSON the operation answers with on success (its 200, 201 or 202). */
export type Success<O> = O extends { responses: infer R } ? Json<R[Extract<keyof R, 200 | 201 | 202>]> : never;
type Body<O> = O extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type PathParams<O> = O extends { parameters: { path: infer Q } } ? Q : never;
type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export interface CallOptions<O> {
  path?: PathParams<O>;
  query?: QueryParams<O>;
  body?: Body<O>;
  token?: string | null;
  keepalive?: boolean;
  signal?: AbortSignal;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole error body, for pages that read more than Code and Message from it. */
    readonly body: Record<string, unknown> = {},
    /** The language the Message is in (`Content-Language`): a client's refusal comes in the client's (R30). */
    readonly language: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Texts a failure without a usable Message falls back to (each page passes its own language). */
export interface FailureTexts {
  genericError: string;
  networkError: string;
}

let failureTexts: FailureTexts = clientTexts.en;

/** The join page sets the client's language here. */
export function setFailureTexts(texts: FailureTexts): void {
  failureTexts = texts;
}

/** `/api/visits/{visit_id}` with `{visit_id: "v 1"}` → `/api/visits/v%201`, plus the query string. */
export function buildUrl(template: string, path?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(path?.[name] ?? '')));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return text ? `${url}?${text}` : url;
}

/** Calls an operation of the API; resolves with its JSON or throws ApiError with the API's Message. */
export async function api<M extends Method, P extends PathOf<M>>(
  method: M,
  path: P,
  options: CallOptions<Operation<P, M>> = {},
): Promise<Success<Operation<P, M>>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.path as Record<string, unknown>, options.query as Record<string, unknown>), {
      method: method.toUpperCase(),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      keepalive: options.keepalive ?? false,
      signal: options.signal,
      credentials: 'same-origin',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', failureTexts.networkError);
  }
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const body = (data !== null && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    const code = typeof body.Code === 'string' ? body.Code : `HTTP_${response.status}`;
    const message = typeof body.Message === 'string' ? body.Message : failureTexts.genericError;
    throw new ApiError(response.status, code, message, body, response.headers.get('Content-Language'));
  }
  return data as Success<Operation<P, M>>;
}

/** The text to show for any failure: an API error's Message as written, else a generic text. */
export function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : failureTexts.genericError;
}
