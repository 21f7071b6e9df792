let current = new AbortController();

/**
 * A signal for what the view being drawn listens to outside its own elements (keys on the
 * document): the previous view's listeners end when the next view starts.
 */
export function freshView(): AbortSignal {
  current.abort();
  current = new AbortController();
  return current.signal;
}
