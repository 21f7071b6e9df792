import { el, signIn } from '../api';

/** Sign in once with an API key; the session is an HttpOnly cookie, then back where we were. */
export function signInView(root: HTMLElement, then: () => void): void {
  const input = el('input', {
    type: 'password',
    name: 'apiKey',
    autocomplete: 'current-password',
    required: '',
    id: 'api-key',
  });
  const message = el('p', { class: 'error', role: 'alert' });
  const form = el(
    'form',
    { class: 'sign-in' },
    el('label', { for: 'api-key' }, 'API key', input),
    el('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    if (await signIn(input.value)) then();
    else message.textContent = 'That API key is not one this archive accepts.';
  });
  root.replaceChildren(el('h1', {}, 'Sign in to the call archive'), form, message);
  input.focus();
}
