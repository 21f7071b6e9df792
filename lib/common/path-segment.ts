/**
 * A path segment percent-decoded, or as it came when its encoding is broken (`%`, `%zz`):
 * decodeURIComponent throws a URIError there, and a bad path is the caller's 400 to name,
 * never our 500. Validation after this refuses what is left.
 */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
