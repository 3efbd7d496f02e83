// Keeps API keys and tokens out of everything written down (log lines, the traffic log's paths): clients put keys in
// query strings, in malformed paths and in percent-encoded parameter names, and the server must not echo any of them.

/** Parameters whose values are secrets, compared after percent-decoding their names (`ap%69key` is `apikey`). */
const SECRET_PARAMETERS = new Set(['apikey', 'api_key', 'token', 'access_token', 'refresh_token', 'password']);

/** What a redacted value becomes. */
export const REDACTED = '[redacted]';

/**
 * A run of 64 or more hex digits, each written as itself or percent-encoded (`%33` is `3`): the shape of an API key
 * (32 random bytes as hex), wherever it stands.
 */
const KEY_SHAPED = /(?:[0-9a-f]|%3[0-9]|%[46][1-6]){64,}/gi;

/** A `name=value` pair after `?`, `&` or `;`, the separators a client may use or mistype. */
const PARAMETER = /([?&;])([^?&;=#]*)=([^?&;#]*)/g;

/**
 * The URL (or path) with the value of every secret parameter replaced, wherever the parameter stands (query string,
 * after a `;` or a stray `&` in the path), and every key-shaped run replaced too.
 */
export function redactSecrets(url: string): string {
  // Every request's path passes here: most hold neither a parameter nor a run long enough to be a key.
  if (url.length < 64 && !url.includes('=')) return url;
  return url
    .replace(PARAMETER, (pair: string, separator: string, name: string) =>
      SECRET_PARAMETERS.has(decodedName(name)) ? `${separator}${name}=${REDACTED}` : pair,
    )
    .replace(KEY_SHAPED, REDACTED);
}

/** A parameter name as a query-string parser reads it: `+` is a space, percent escapes decoded, case ignored. */
function decodedName(name: string): string {
  const spaced = name.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced).trim().toLowerCase();
  } catch {
    // A broken escape (`%E0%A4`): decode what can be decoded, escape by escape.
    return spaced.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).trim().toLowerCase();
  }
}
