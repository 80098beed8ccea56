/**
 * Staff identity. The bearer token lives in sessionStorage (per tab; a call window opened with
 * window.open gets a copy) and never in a URL.
 * - Local stack: pick a demo user (GET /api/dev/users), POST /api/dev/login gives a token.
 * - AWS: the Cognito hosted UI, authorization code + PKCE, configured by /config.json.
 */
import { api } from './api/client';
import type { DevUser } from './api/types';

const TOKEN_KEY = 'vv.token';
const PKCE_KEY = 'vv.pkce';

export interface CognitoConfig {
  domain: string; // e.g. "https://example.auth.eu-west-1.amazoncognito.com"
  client_id: string;
  scopes?: string[];
}

export interface RuntimeConfig {
  auth: 'local' | 'cognito';
  cognito?: CognitoConfig;
}

/** Reads /config.json (written at deploy time); without one, the app runs against the local stack. */
export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    const type = response.headers.get('Content-Type') ?? '';
    if (response.ok && type.includes('json')) {
      const config = (await response.json()) as RuntimeConfig;
      if (config.auth === 'cognito' && config.cognito?.domain && config.cognito.client_id) return config;
    }
  } catch {
    // no config: local
  }
  return { auth: 'local' };
}

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

export async function listDevUsers(): Promise<DevUser[]> {
  return api('get', '/api/dev/users');
}

export async function devLogin(employeeId: string): Promise<void> {
  const { token } = await api('post', '/api/dev/login', { body: { employee_id: employeeId } });
  setToken(token);
}

function base64Url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(size = 32): string {
  const bytes = new Uint8Array(size);
  crypto.getRandomValues(bytes);
  return base64Url(bytes);
}

function redirectUri(): string {
  return `${location.origin}/`;
}

/** Sends the browser to the Cognito hosted UI (authorization code + PKCE S256). */
export async function startCognitoSignIn(config: CognitoConfig): Promise<void> {
  const verifier = randomString(48);
  const state = randomString(16);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.client_id,
    redirect_uri: redirectUri(),
    scope: (config.scopes ?? ['openid', 'email', 'profile']).join(' '),
    state,
    code_challenge: base64Url(digest),
    code_challenge_method: 'S256',
  });
  location.assign(`${config.domain.replace(/\/$/, '')}/oauth2/authorize?${params.toString()}`);
}

/**
 * Completes a hosted-UI redirect (`/?code=…&state=…`): exchanges the code for tokens and removes
 * the code from the address bar. Returns true when a sign-in was completed.
 */
export async function completeCognitoSignIn(config: CognitoConfig): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return false;
  history.replaceState(null, '', '/');
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem(PKCE_KEY);
  if (!saved || saved.state !== params.get('state')) return false;
  const response = await fetch(`${config.domain.replace(/\/$/, '')}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.client_id,
      code,
      redirect_uri: redirectUri(),
      code_verifier: saved.verifier,
    }),
  });
  if (!response.ok) return false;
  // The ID token carries the custom claims (agency, employee, role) that the API's authorizer reads.
  const tokens = (await response.json()) as { id_token?: string };
  if (!tokens.id_token) return false;
  setToken(tokens.id_token);
  return true;
}
