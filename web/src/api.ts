import { type AnswerParser, errorMessageOf, MalformedAnswerError } from './answers';

/**
 * The one fetch wrapper: JSON in, checked by the answer's parser (web/src/answers.ts); an
 * answer that is not 2xx becomes an ApiError carrying the server's message and the parameter
 * it names (`callee: …` → `callee`); 401 → SignInNeeded; a 2xx answer of the wrong shape an
 * ApiError naming the wrong field.
 */
export class SignInNeeded extends Error {}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The query parameters a 400 names: its message starts with `name: ` or `from, to: `. */
    readonly parameters: readonly string[],
  ) {
    super(message);
  }
}

/** The session flag lets the sign-in page tell an expired session from a first visit. */
const SIGNED_IN = 'vca.signed-in';
export const wasSignedIn = () => sessionStorage.getItem(SIGNED_IN) === '1';
const markSignedIn = (yes: boolean) =>
  yes ? sessionStorage.setItem(SIGNED_IN, '1') : sessionStorage.removeItem(SIGNED_IN);

async function messageOf(response: Response): Promise<string> {
  try {
    const message = errorMessageOf(await response.json());
    if (message !== undefined) return message;
  } catch {
    // not JSON: the status says enough
  }
  return `${response.status} ${response.statusText}`;
}

export async function getJson<T>(path: string, parse: AnswerParser<T>): Promise<T> {
  const response = await fetch(path, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (response.status === 401) throw new SignInNeeded('Sign in first');
  if (!response.ok) {
    const message = await messageOf(response);
    const named = response.status === 400 ? /^([A-Za-z]+(?:, [A-Za-z]+)*): /.exec(message) : null;
    throw new ApiError(response.status, message, named?.[1]?.split(', ') ?? []);
  }
  markSignedIn(true);
  // A 2xx body that is not JSON is malformed too: the parser refuses it as the body.
  const body: unknown = await response.json().catch(() => undefined);
  try {
    return parse(body);
  } catch (error: unknown) {
    if (!(error instanceof MalformedAnswerError)) throw error;
    // The server's bug, not the reviewer's: say which field, as a 4xx message would.
    throw new ApiError(response.status, `${path.split('?')[0]}: ${error.message}`, []);
  }
}

export async function signIn(apiKey: string): Promise<boolean> {
  const response = await fetch('/app/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey }),
  });
  markSignedIn(response.status === 204);
  return response.status === 204;
}

/** Ends the session (`POST /app/session/end` clears the cookie). */
export async function signOut(): Promise<void> {
  await fetch('/app/session/end', { method: 'POST', credentials: 'same-origin' });
  markSignedIn(false);
}

/** An element with text (never HTML) and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children)
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}
