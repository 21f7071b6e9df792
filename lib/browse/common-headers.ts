/** Headers of every answer of browse: no sniffing, no referrer leaking a call's URL. */
export const COMMON = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
