/**
 * What no log line may carry: full phone numbers (personal data) and signed URLs
 * (credentials). One replacer applies it to every value of every record, by key and by shape.
 */

/** `13000000000` → `130****0000`; short numbers keep only their last two digits. */
export function maskPhone(phone: string): string {
  if (phone.length >= 7) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return `${'*'.repeat(Math.max(phone.length - 2, 0))}${phone.slice(-2)}`;
}

/** A URL without its query string, which for OSS holds the signature. */
export function redactUrl(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

/** Keys whose value is a phone number whatever it looks like (Dyvmsapi's and ours). */
const PHONE_KEY = /(^|_)(callee|caller|called|calling)|phone/i;
/** A mainland mobile number (11 digits from 13–19, optionally +86), not part of a longer run. */
const MOBILE = /(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d{9})(?!\d)/g;
/** A URL with a query or fragment: cut at `?` or `#`. */
const URL_WITH_QUERY = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>?#]*[?#][^\s"'<>]*/gi;
/** Signing parameters seen outside a whole URL (a query string logged on its own). */
const SIGNING_PARAMETER =
  /\b(Signature|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|OSSAccessKeyId|SecurityToken|security-token)=[^&\s"']*/gi;

/** A string with every signed URL cut before its query and every mobile number masked. */
export function maskText(text: string): string {
  return text
    .replace(URL_WITH_QUERY, (url) => redactUrl(url))
    .replace(SIGNING_PARAMETER, (_all, name: string) => `${name}=***`)
    .replace(MOBILE, (_all, digits: string) => maskPhone(digits));
}

/**
 * `text` with every occurrence of each of `numbers` (a job's own callee, whatever its form:
 * a landline or a foreign number is no mobile to be told by shape) masked, then maskText.
 */
export function maskNumbers(text: string, numbers: readonly string[]): string {
  let masked = text;
  for (const number of numbers) if (number) masked = masked.replaceAll(number, maskPhone(number));
  return maskText(masked);
}

/**
 * The logger's JSON replacer: a phone-number key's value masked whole, any other string
 * masked by shape, everything else as it is (objects are walked key by key).
 */
export function maskLogValue(key: string, value: unknown): unknown {
  if (PHONE_KEY.test(key) && (typeof value === 'string' || typeof value === 'number')) {
    return maskPhone(String(value));
  }
  return typeof value === 'string' ? maskText(value) : value;
}
