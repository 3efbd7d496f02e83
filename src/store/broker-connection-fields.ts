// What a broker connection's name and URL may be, checked by its repository on create and by the callers that want to
// say so before asking for a credential (the CLI reads it from standard input only once the rest is known to be good).

/** Account names' rule: 1–64 letters, digits, "_", "." or "-", starting with a letter or digit. */
export const BROKER_CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Connection ids are UUIDs: a name of that shape could be taken for another connection's id. */
const ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_URL_LENGTH = 2048;

/** Why `name` cannot name a connection; undefined when it can. */
export function brokerConnectionNameProblem(name: string): string | undefined {
  if (!BROKER_CONNECTION_NAME.test(name)) return '1–64 letters, digits, "_", "." or "-", starting with a letter or digit';
  // `paper` is what an account is bound to when it is bound to no connection.
  if (name.toLowerCase() === 'paper') return '"paper" names the built-in paper exchange';
  if (ID_SHAPE.test(name)) return 'a connection name cannot have the shape of a connection id (a UUID)';
  return undefined;
}

/**
 * The server's base URL as stored (`http://127.0.0.1:5000`, `https://example.com/openalgo`: origin and path, no trailing
 * slash), or why `text` cannot be one. Credentials in the URL are refused: they would be stored in the clear.
 */
export function brokerBaseUrlOf(text: string): { url: string } | { problem: string } {
  const parsed = text.length <= MAX_URL_LENGTH && URL.canParse(text) ? new URL(text) : undefined;
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    return { problem: `an http:// or https:// URL of at most ${MAX_URL_LENGTH} characters, e.g. http://127.0.0.1:5000` };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { problem: 'no user name or password in the URL: the API key is given apart, and stored sealed' };
  }
  if (parsed.search !== '' || parsed.hash !== '') return { problem: 'no query string or fragment: the server\'s base URL only' };
  return { url: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}` };
}
