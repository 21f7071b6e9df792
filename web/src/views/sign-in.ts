import { el, signIn, wasSignedIn } from '../api';
import { t } from '../i18n';
import { freshView } from '../view-lifetime';

/**
 * Sign in once with an API key; the session is an HttpOnly cookie, then back to the very
 * page that was open (an expired session says so first).
 */
export function signInView(root: HTMLElement, then: () => void, signedOut = false): void {
  freshView();
  const w = t().signIn;
  document.title = t().app.title(w.heading);
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
    el('div', { class: 'field' }, el('label', { for: 'api-key' }, w.apiKey), input),
    el('div', { class: 'field buttons' }, el('button', { type: 'submit' }, w.submit)),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    if (await signIn(input.value)) then();
    else message.textContent = w.refused;
  });
  const note = signedOut ? w.signedOut : wasSignedIn() ? w.expired : '';
  root.replaceChildren(
    el('h1', {}, w.heading),
    note ? el('p', { class: 'note', role: 'status' }, note) : '',
    form,
    message,
  );
  input.focus();
}
