/** The one fetch wrapper: JSON in, an Error with the server's message out; 401 → sign-in. */
export class SignInNeeded extends Error {}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (response.status === 401) throw new SignInNeeded('Sign in first');
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      message = body.error?.message ?? message;
    } catch {
      // not JSON: the status says enough
    }
    throw new Error(message);
  }
  return (await response.json()) as T;
}

export async function signIn(apiKey: string): Promise<boolean> {
  const response = await fetch('/app/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey }),
  });
  return response.status === 204;
}

/** Ends the session (`POST /app/session/end` clears the cookie). */
export async function signOut(): Promise<void> {
  await fetch('/app/session/end', { method: 'POST', credentials: 'same-origin' });
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
