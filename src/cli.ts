// The `ordergate` command: `start` runs the gateway; `accounts`, `brokers`, `users`, `keys` and `faults` manage its store (the
// data folder's SQLite files, or the PostgreSQL database DATABASE_URL names), also while a server runs, which sees a
// change from its next turn on SQLite and within about a second on PostgreSQL (LISTEN/NOTIFY), faults within a
// second on either; `db copy` moves an embedded install into PostgreSQL.
import crypto from 'node:crypto';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { ConfigError, loadConfig } from './config.js';
import { ApiKeyIssuer, issueApiKey } from './gateway/api-keys.js';
import { CredentialBox } from './gateway/credential-box.js';
import { ID_SHAPED_NAME, hasAccountIdShape } from './gateway/account-names.js';
import { DEFAULT_ACCOUNT, DEFAULT_SCOPES, DEFAULT_USERNAME, ensureDefaultAccount } from './gateway/bootstrap.js';
import { loadOrCreatePepper } from './gateway/pepper.js';
import { generatePassword, hashPassword, passwordProblem } from './gateway/passwords.js';
import { type FaultSpec, FaultSpecError, describeFaultSpec, injectsFaults, parseFaultSpec } from './brokers/fault-spec.js';
import { PAPER_FAULTS_SETTING } from './gateway/paper-faults.js';
import { brokerBaseUrlOf, brokerConnectionNameProblem } from './store/broker-connection-fields.js';
import { type CopiedTable, type CopyProgress, CopyError, type TableCount, copyStore } from './store/copy-store.js';
import { DataDirInUse } from './store/data-dir-lock.js';
import { openStore } from './store/open-store.js';
import { describePostgresUrl, isPostgresUrl } from './store/postgres/pool.js';
import {
  type Account,
  type ApiKeyInfo,
  type ApiKeyScope,
  type BrokerConnection,
  BrokerConnectionInUse,
  PAPER_BROKER,
  type Store,
  isApiKeyScope,
} from './store/store.js';

const USAGE = `Usage: ordergate <command>

Commands:
  start                                   run the gateway (default)
  accounts create NAME [--user USER] [--broker BROKER]
                                          add an account on the paper exchange (funded with ORDERGATE_STARTING_CASH
                                          on first use) or on the user's broker connection BROKER
  accounts bind ACCOUNT BROKER [--user USER]
                                          serve the account by BROKER: paper, or a broker connection of its user
  accounts list                           list accounts
  brokers add NAME --url URL [--user USER] [--api-key KEY]
                                          add a connection to an OpenAlgo-compatible server (OpenAlgo, or another
                                          Ordergate); its API key is read from standard input (one line) unless given,
                                          and stored sealed
  brokers list [--user USER]              list broker connections (the API keys by their last 4 characters only)
  brokers remove NAME [--user USER]       remove a broker connection no account is bound to
  users create NAME [--password-stdin]    add a user who logs in to the admin API; prints a generated password
                                          as the last line unless one is read from standard input
  users password NAME [--password-stdin]  set a user's password (generated and printed, or read from standard input);
                                          ends the user's login sessions
  users list                              list users
  keys create [--account NAME [--user USER]] [--scopes read,trade]
                                          print a new API key (last line of output)
  keys list [--account NAME]              list keys by prefix
  keys revoke PREFIX [--account NAME [--user USER]]
                                          revoke the active keys starting with PREFIX (8+ characters)
  keys rotate PREFIX [--account NAME [--user USER]]
                                          replace the active key starting with PREFIX by a new one with the same
                                          account and scopes; prints the new key as the last line
  (account and connection names are unique per user: --user names the owner when several users have one NAME)
  faults                                  show the faults injected into the paper broker
  faults set SPEC                         inject faults (a running gateway applies them within a second), e.g.
                                          'latency=300', 'fail=0.25', 'lose=0.1@placeOrder', 'hang@getQuote'
  faults clear                            remove them
  db copy --to postgres://USER@HOST:PORT/DB
                                          copy this data folder's SQLite files into an empty PostgreSQL database
                                          (stop the gateway first; the data folder keeps the pepper file API keys need)
  backtest STRATEGY --data FILE.csv|GOOG|EURUSD|BTCUSD [--param NAME=VALUE]… [--cash 10000] [--commission 0]
           [--spread S] [--margin M] [--trade-on-close] [--finalize-trades] [--from DATE] [--to DATE] [--json]
           [--equity FILE.csv] [--chart FILE.svg|FILE.png] [--strategies-dir DIR]
                                          run a strategy over bars; print backtesting.py's statistics (or JSON)
  optimize STRATEGY --data … --param NAME=MIN:MAX[:STEP]|A,B,C… [--maximize STAT] [--constraint "fast<slow"]…
           [--random N [--seed S]] [--top 10] [--json] [--heatmap FILE.svg]
                                          sweep parameters over every core; print the best rows

Environment: HOST, PORT, ORDERGATE_DATA_DIR, DATABASE_URL, ORDERGATE_SEED, ORDERGATE_MARKET, ORDERGATE_TICK_MS,
ORDERGATE_STARTING_CASH, ORDERGATE_BOOTSTRAP_API_KEY, ORDERGATE_ADMIN_PASSWORD, ORDERGATE_PAPER_FAULTS,
ORDERGATE_CREDENTIALS_KEY, LOG_LEVEL (see README).`;

class UsageError extends Error {}
/**
 * The command cannot run here as configured or asked (`start`: data folder taken or not writable, port or address
 * unusable; `db copy`: gateway running, target not empty or unreachable): its message says what to do; exit 1.
 */
class CommandFailure extends Error {}

async function main(argv: string[]): Promise<void> {
  const [command = 'start', sub, ...rest] = argv;
  if (command === 'start') return start();
  // `ordergate keys list | head -1` closes the pipe before the output ends: the reader has what it wanted.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  if (command === 'keys' && sub === 'create') return keysCreate(rest);
  if (command === 'keys' && sub === 'list') return keysList(rest);
  if (command === 'keys' && sub === 'revoke') return keysRevoke(rest);
  if (command === 'keys' && sub === 'rotate') return keysRotate(rest);
  if (command === 'accounts' && sub === 'create') return accountsCreate(rest);
  if (command === 'accounts' && sub === 'list') return accountsList(rest);
  if (command === 'accounts' && sub === 'bind') return accountsBind(rest);
  if (command === 'brokers' && sub === 'add') return brokersAdd(rest);
  if (command === 'brokers' && sub === 'list') return brokersList(rest);
  if (command === 'brokers' && sub === 'remove') return brokersRemove(rest);
  if (command === 'users' && sub === 'create') return usersCreate(rest);
  if (command === 'users' && sub === 'password') return usersPassword(rest);
  if (command === 'users' && sub === 'list') return usersList(rest);
  if (command === 'faults') return faults(argv.slice(1));
  if (command === 'db' && sub === 'copy') return dbCopy(rest);
  // Loaded for these commands only, as the gateway is for `start`.
  if (command === 'backtest' || command === 'optimize') return (await import('./cli-backtest.js')).backtestCli(command, argv.slice(1));
  if (command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  throw new UsageError(`Unknown command: ${argv.join(' ')}`);
}

async function start(): Promise<void> {
  const config = loadConfig();
  // Loaded here only: the gateway's modules take seconds to load, which the store commands need not wait for.
  const { createGateway } = await import('./app.js');
  const gateway = await createGateway({ config }).catch((error: unknown) => {
    throw dataDirFailure(error, config.dataDir) ?? databaseFailure(error, config.databaseUrl) ?? error;
  });
  let url: string;
  try {
    url = await gateway.listen();
  } catch (error) {
    await gateway.close();
    throw listenFailure(error, config.host, config.port) ?? error;
  }
  const base = url.replace('0.0.0.0', '127.0.0.1');
  const lines = [
    '',
    `Ordergate is running on the paper exchange at ${base}`,
    `  OpenAlgo v1 API: ${base}/api/v1/   docs: ${base}/docs   OpenAPI: ${base}/api/openapi.json`,
    config.databaseUrl
      ? `  data: ${config.dataDir} (pepper)   database: ${describePostgresUrl(config.databaseUrl)}`
      : `  data: ${config.dataDir}`,
  ];
  if (gateway.createdKey && config.bootstrapApiKey !== undefined) {
    // The operator chose this key and knows it: enough of it to tell which, never the whole of it in a log.
    lines.push(
      '',
      'Your API key is the one ORDERGATE_BOOTSTRAP_API_KEY set (only its hash is stored; `npx ordergate keys create` makes more):',
      `  ${gateway.createdKey.slice(0, BANNER_PREFIX_LENGTH)}…`,
    );
  } else if (gateway.createdKey) {
    lines.push(
      '',
      'Your API key (shown once; only its hash is stored; `npx ordergate keys create` makes more):',
      `  ${gateway.createdKey}`,
    );
  } else {
    lines.push('  API keys exist already; `npx ordergate keys create` prints a new one.');
  }
  if (gateway.createdPassword) {
    lines.push(
      '',
      `Admin API login (POST /api/auth/login; shown once; \`npx ordergate users password ${DEFAULT_USERNAME}\` sets another):`,
      `  username ${DEFAULT_USERNAME}   password ${gateway.createdPassword}`,
    );
  }
  if (config.paperFaults !== '') {
    lines.push(
      '',
      `Paper broker faults (ORDERGATE_PAPER_FAULTS; \`npx ordergate faults clear\` removes them):`,
      `  ${describeFaultSpec(parseFaultSpec(config.paperFaults))}`,
    );
  }
  // Stopping is possible before the banner says the server runs (whoever reads it may signal at once).
  const shutdown = (signal: string) => {
    gateway.app.log.info({ signal }, 'shutting down');
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

/** What stops the gateway from using its data folder, said as what to do; undefined for anything else. */
function dataDirFailure(error: unknown, dataDir: string): CommandFailure | undefined {
  if (error instanceof DataDirInUse) return new CommandFailure(error.message);
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  if (['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST'].includes(code) || /^SQLITE_(CANTOPEN|READONLY)/.test(code)) {
    return new CommandFailure(
      `cannot write the data folder ${dataDir} (${(error as Error).message}): set ORDERGATE_DATA_DIR to a folder this user may write`,
    );
  }
  return undefined;
}

/** Why the server could not listen, said as what to do; undefined for anything else. */
function listenFailure(error: unknown, host: string, port: number): CommandFailure | undefined {
  switch ((error as { code?: unknown }).code) {
    case 'EADDRINUSE':
      return new CommandFailure(`${host}:${port} is in use (another Ordergate, or another server): stop it, or set PORT to a free port`);
    case 'EADDRNOTAVAIL':
      return new CommandFailure(`HOST ${host} is no address of this machine: set HOST to one (127.0.0.1, or 0.0.0.0 for every interface)`);
    case 'EACCES':
      return new CommandFailure(`port ${port} needs privileges this user lacks: set PORT to 1024 or above`);
    default:
      return undefined;
  }
}

async function keysCreate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { account: { type: 'string' }, user: { type: 'string' }, scopes: { type: 'string' } },
    strict: true,
  });
  const scopes = parseScopes(values.scopes);
  await withStore(async ({ store, pepper }) => {
    const defaultAccount = await ensureDefaultAccount(store);
    const account =
      values.account === undefined && values.user === undefined
        ? defaultAccount
        : await accountNamed(store, values.account ?? DEFAULT_ACCOUNT, values.user);
    const issued = await issueApiKey(pepper, store.apiKeys, account.id, scopes);
    const owner = values.user === undefined ? '' : ` of user "${values.user}"`;
    console.log(`Created an API key for account "${account.name}"${owner} with scopes ${scopes.join(',')} (prefix ${issued.prefix}).`);
    console.log('It is shown once; only its hash is stored.');
    console.log(issued.key);
  });
}

async function keysList(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { account: { type: 'string' } }, strict: true });
  await withStore(async ({ store }) => {
    const accounts = (await store.accounts.list()).filter((a) => values.account === undefined || a.name === values.account);
    for (const account of accounts) {
      const owner = await ownerOf(store, account);
      for (const key of await store.apiKeys.listByAccount(account.id)) {
        const state = key.revokedAt === null ? 'active' : 'revoked';
        console.log(`${key.prefix}…  ${account.name}  ${owner}  ${key.scopes.join(',')}  ${state}  ${new Date(key.createdAt).toISOString()}`);
      }
    }
  });
}

/** How much of an operator-supplied first key the banner shows. */
const BANNER_PREFIX_LENGTH = 16;
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const KEY_PREFIX = /^[0-9a-f]{8}$/;

async function accountsCreate(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { user: { type: 'string' }, broker: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [name] = positionals;
  if (positionals.length !== 1 || name === undefined || !ACCOUNT_NAME.test(name)) {
    throw new UsageError('accounts create takes one NAME: 1–64 letters, digits, "_", "." or "-", starting with a letter or digit');
  }
  if (hasAccountIdShape(name)) throw new UsageError(`accounts create NAME: ${ID_SHAPED_NAME}`);
  await withStore(async ({ store }) => {
    const owner = await ensureDefaultAccount(store);
    const userId = values.user === undefined ? owner.userId : (await store.users.findByUsername(values.user))?.id;
    if (userId === undefined) throw new UsageError(`No user named "${values.user}"`);
    if (await store.accounts.findByName(userId, name)) throw new UsageError(`An account named "${name}" exists already`);
    const username = values.user ?? DEFAULT_USERNAME;
    const broker = await brokerNamed(store, values.broker ?? PAPER_BROKER, userId, username);
    const account = await store.accounts.create(name, userId, broker?.id ?? PAPER_BROKER);
    console.log(`Created account "${account.name}" on ${brokerLabel(broker)} for user "${username}".`);
    console.log(`Make a key for it: npx ordergate keys create --account ${account.name}`);
  });
}

async function accountsList(args: string[]): Promise<void> {
  parseArgs({ args, strict: true });
  await withStore(async ({ store }) => {
    await ensureDefaultAccount(store);
    const connections = new Map((await store.brokerConnections.list()).map((connection) => [connection.id, connection.name]));
    for (const account of await store.accounts.list()) {
      const keys = (await store.apiKeys.listByAccount(account.id)).filter((key) => key.revokedAt === null).length;
      const broker = connections.get(account.broker) ?? account.broker;
      console.log(`${account.name}  ${await ownerOf(store, account)}  ${broker}  ${keys} active key${keys === 1 ? '' : 's'}`);
    }
  });
}

async function accountsBind(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { user: { type: 'string' } }, allowPositionals: true, strict: true });
  const [accountName, brokerName] = positionals;
  if (positionals.length !== 2 || accountName === undefined || brokerName === undefined) {
    throw new UsageError('accounts bind takes ACCOUNT and BROKER: `paper`, or the name of a broker connection of the account\'s user');
  }
  await withStore(async ({ store }) => {
    const account = await accountNamed(store, accountName, values.user);
    const owner = await ownerOf(store, account);
    const broker = await brokerNamed(store, brokerName, account.userId, owner);
    await store.accounts.setBroker(account.id, broker?.id ?? PAPER_BROKER);
    console.log(`Bound account "${account.name}" of user "${owner}" to ${brokerLabel(broker)}.`);
    console.log('A running gateway sends its next orders there.');
  });
}

/** The user's connection named `name`; undefined for `paper`, the built-in exchange. */
async function brokerNamed(store: Store, name: string, userId: string, username: string): Promise<BrokerConnection | undefined> {
  if (name === PAPER_BROKER) return undefined;
  const connection = await store.brokerConnections.findByName(userId, name);
  if (!connection) throw new UsageError(`User "${username}" has no broker connection named "${name}" (\`ordergate brokers list\` shows them)`);
  return connection;
}

function brokerLabel(connection: BrokerConnection | undefined): string {
  return connection ? `broker connection "${connection.name}" (${connection.baseUrl})` : 'the paper broker';
}

/** An API key as an OpenAlgo-compatible server issues it: printable ASCII, no spaces. */
const UPSTREAM_API_KEY = /^[\x21-\x7e]{1,512}$/;

async function brokersAdd(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { url: { type: 'string' }, user: { type: 'string' }, 'api-key': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [name] = positionals;
  if (positionals.length !== 1 || name === undefined) throw new UsageError('brokers add takes one NAME and --url URL');
  const nameProblem = brokerConnectionNameProblem(name);
  if (nameProblem !== undefined) throw new UsageError(`brokers add NAME: ${nameProblem}`);
  if (values.url === undefined) throw new UsageError("brokers add takes --url URL, the OpenAlgo-compatible server's base URL");
  const baseUrl = brokerBaseUrlOf(values.url);
  if ('problem' in baseUrl) throw new UsageError(`--url: ${baseUrl.problem}`);
  // Everything else is checked before the key is asked for.
  const apiKey = values['api-key'] ?? (await upstreamKeyFromStdin());
  // The key is never repeated, not even in an error.
  if (!UPSTREAM_API_KEY.test(apiKey)) {
    throw new UsageError('the API key must be 1–512 printable characters without spaces (give it with --api-key KEY or on standard input)');
  }
  await withStore(async ({ store, credentials }) => {
    const owner = await ensureDefaultAccount(store);
    const userId = values.user === undefined ? owner.userId : (await store.users.findByUsername(values.user))?.id;
    if (userId === undefined) throw new UsageError(`No user named "${values.user}"`);
    const username = values.user ?? DEFAULT_USERNAME;
    if (await store.brokerConnections.findByName(userId, name)) {
      throw new UsageError(`User "${username}" has a broker connection named "${name}" already`);
    }
    // The id is drawn first: the sealed key is bound to it, and opens for this connection only.
    const id = crypto.randomUUID();
    const connection = await store.brokerConnections.create({
      id,
      userId,
      name,
      kind: 'openalgo',
      baseUrl: baseUrl.url,
      sealedCredentials: credentials.seal(apiKey, id),
      credentialsHint: credentials.hint(apiKey),
    });
    console.log(`Added broker connection "${connection.name}" (openalgo, ${connection.baseUrl}) for user "${username}".`);
    console.log(`Its API key ${connection.credentialsHint} is stored sealed and never shown again.`);
    console.log(`Bind an account to it: npx ordergate accounts bind ACCOUNT ${connection.name}${values.user === undefined ? '' : ` --user ${username}`}`);
  });
}

/**
 * The upstream API key from standard input: its first line, so it need not appear in the shell's history or `ps`. On
 * a terminal it is asked for, and not echoed.
 */
async function upstreamKeyFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write("The server's API key (not shown as you type): ");
    const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
    const reader = readline.createInterface({ input: process.stdin, output: muted, terminal: true });
    try {
      return await new Promise<string>((resolve) => reader.question('', resolve));
    } finally {
      reader.close();
      process.stderr.write('\n');
    }
  }
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  return (input.split(/\r?\n/)[0] ?? '').trim();
}

async function brokersList(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { user: { type: 'string' } }, strict: true });
  await withStore(async ({ store }) => {
    await ensureDefaultAccount(store);
    let connections: BrokerConnection[];
    if (values.user === undefined) {
      connections = await store.brokerConnections.list();
    } else {
      const user = await store.users.findByUsername(values.user);
      if (!user) throw new UsageError(`No user named "${values.user}"`);
      connections = await store.brokerConnections.listForUser(user.id);
    }
    if (connections.length === 0) {
      console.log('No broker connections; `ordergate brokers add NAME --url URL` adds one.');
      return;
    }
    const accounts = await store.accounts.list();
    for (const connection of connections) {
      const bound = accounts.filter((account) => account.broker === connection.id).length;
      const owner = (await store.users.findById(connection.userId))?.username ?? connection.userId;
      console.log(
        `${connection.name}  ${owner}  ${connection.kind}  ${connection.baseUrl}  ${connection.credentialsHint}  ` +
          `${bound} bound account${bound === 1 ? '' : 's'}`,
      );
    }
  });
}

async function brokersRemove(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { user: { type: 'string' } }, allowPositionals: true, strict: true });
  const [name] = positionals;
  if (positionals.length !== 1 || name === undefined) throw new UsageError('brokers remove takes one NAME');
  await withStore(async ({ store }) => {
    const connection = await connectionNamed(store, name, values.user);
    try {
      await store.brokerConnections.remove(connection.id);
    } catch (error) {
      if (error instanceof BrokerConnectionInUse) throw new CommandFailure(`${error.message} (ordergate accounts bind ACCOUNT paper)`);
      throw error;
    }
    console.log(`Removed broker connection "${connection.name}"; its sealed API key is gone with it.`);
  });
}

/** The connection NAME of user USERNAME; without a user, the one connection of that name when only one user has one. */
async function connectionNamed(store: Store, name: string, username: string | undefined): Promise<BrokerConnection> {
  if (username !== undefined) {
    const user = await store.users.findByUsername(username);
    if (!user) throw new UsageError(`No user named "${username}"`);
    const connection = await store.brokerConnections.findByName(user.id, name);
    if (!connection) throw new UsageError(`User "${username}" has no broker connection named "${name}"`);
    return connection;
  }
  const named = (await store.brokerConnections.list()).filter((connection) => connection.name === name);
  const [only] = named;
  if (!only) throw new UsageError(`No broker connection named "${name}"`);
  if (named.length > 1) {
    const owners: string[] = [];
    for (const connection of named) owners.push((await store.users.findById(connection.userId))?.username ?? connection.userId);
    throw new UsageError(`Users ${owners.slice(0, -1).join(', ')} and ${owners.at(-1) ?? ''} each have a broker connection named "${name}"; name its owner with --user`);
  }
  return only;
}

/** The username of the account's user: account names are unique per user only, so listings name both. */
async function ownerOf(store: Store, account: Account): Promise<string> {
  return (await store.users.findById(account.userId))?.username ?? account.userId;
}

async function keysRevoke(args: string[]): Promise<void> {
  const { prefix, accountName, username } = prefixArgs('revoke', args);
  await withStore(async ({ store }) => {
    const account = accountName === undefined ? undefined : await accountNamed(store, accountName, username);
    const revoked = await store.apiKeys.revokeByPrefix(prefix, account?.id);
    if (revoked === 0) throw new UsageError(`No active key starts with ${prefix}`);
    console.log(`Revoked ${revoked} key${revoked === 1 ? '' : 's'} starting with ${prefix}; the server refuses ${revoked === 1 ? 'it' : 'them'} from now on.`);
  });
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/;

async function usersCreate(args: string[]): Promise<void> {
  const { name, password, generated } = await userWithPassword(args, (given) => {
    if (given === undefined || !USERNAME.test(given)) {
      throw new UsageError('users create takes one NAME: 1–128 letters, digits, "_", ".", "@" or "-", starting with a letter or digit');
    }
    return given;
  });
  const hash = await hashPassword(password);
  await withStore(async ({ store }) => {
    await ensureDefaultAccount(store);
    if (await store.users.findByUsername(name)) throw new UsageError(`A user named "${name}" exists already`);
    await store.users.create(name, hash);
    console.log(`Created user "${name}". Give them an account: npx ordergate accounts create NAME --user ${name}`);
    if (generated) {
      console.log('Their password (shown once; only its hash is stored):');
      console.log(password);
    }
  });
}

async function usersPassword(args: string[]): Promise<void> {
  const { name, password, generated } = await userWithPassword(args, (given) => {
    if (given === undefined) throw new UsageError('users password takes one NAME');
    return given;
  });
  const hash = await hashPassword(password);
  await withStore(async ({ store }) => {
    await ensureDefaultAccount(store);
    const user = await store.users.findByUsername(name);
    if (!user) throw new UsageError(`No user named "${name}"`);
    await store.users.setPasswordHash(user.id, hash);
    const ended = await store.authSessions.revokeAllOfUser(user.id, Date.now(), 'password reset');
    console.log(`Set the password of "${name}"; ${ended} login session${ended === 1 ? '' : 's'} ended.`);
    if (generated) {
      console.log('The new password (shown once; only its hash is stored):');
      console.log(password);
    }
  });
}

async function usersList(args: string[]): Promise<void> {
  parseArgs({ args, strict: true });
  await withStore(async ({ store }) => {
    await ensureDefaultAccount(store);
    for (const user of await store.users.list()) {
      const accounts = (await store.accounts.list(user.id)).map((a) => a.name);
      const login = user.passwordHash === null ? 'no password' : 'password set';
      console.log(`${user.username}  ${login}  accounts: ${accounts.join(', ') || '(none)'}`);
    }
  });
}

/** The NAME of `users create` and `users password` (checked by `check`) and the password to give that user. */
async function userWithPassword(args: string[], check: (name: string | undefined) => string) {
  const { values, positionals } = parseArgs({
    args,
    options: { 'password-stdin': { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const name = check(positionals.length === 1 ? positionals[0] : undefined);
  return { name, ...(await passwordFrom(values['password-stdin'] === true)) };
}

/** A password read from standard input (its first line), or a generated one. */
async function passwordFrom(fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: generatePassword(), generated: true };
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const password = input.split(/\r?\n/)[0] ?? '';
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(`--password-stdin: ${problem}`);
  return { password, generated: false };
}

async function keysRotate(args: string[]): Promise<void> {
  const { prefix, accountName, username } = prefixArgs('rotate', args);
  await withStore(async ({ store, pepper }) => {
    const account = accountName === undefined ? undefined : await accountNamed(store, accountName, username);
    const accounts = account ? [account] : await store.accounts.list();
    const matches: ApiKeyInfo[] = [];
    for (const a of accounts) {
      const keys = await store.apiKeys.listByAccount(a.id);
      matches.push(...keys.filter((key) => key.prefix === prefix && key.revokedAt === null));
    }
    if (matches.length === 0) throw new UsageError(`No active key starts with ${prefix}`);
    if (matches.length > 1) throw new UsageError(`${matches.length} active keys start with ${prefix}; name the account with --account`);
    const rotated = await new ApiKeyIssuer(pepper, store.apiKeys).rotate(matches[0]!.id);
    if (!rotated) throw new UsageError(`The key starting with ${prefix} was revoked meanwhile`);
    console.log(`Revoked the key starting with ${prefix} and created its replacement (prefix ${rotated.prefix}, scopes ${rotated.info.scopes.join(',')}).`);
    console.log('It is shown once; only its hash is stored.');
    console.log(rotated.key);
  });
}

/** The PREFIX (as `keys list` shows it, "…" allowed), --account and --user of `keys revoke` and `keys rotate`. */
function prefixArgs(command: string, args: string[]): { prefix: string; accountName?: string; username?: string } {
  const { values, positionals } = parseArgs({
    args,
    options: { account: { type: 'string' }, user: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const prefix = positionals[0]?.replace(/…$/, '');
  if (positionals.length !== 1 || prefix === undefined || !KEY_PREFIX.test(prefix)) {
    throw new UsageError(`keys ${command} takes one PREFIX: the 8 hex characters \`keys list\` shows before "…"`);
  }
  if (values.user !== undefined && values.account === undefined) throw new UsageError(`keys ${command}: --user goes with --account`);
  return { prefix, accountName: values.account, username: values.user };
}

/**
 * The account NAME of user USERNAME; without a user, the one account of that name when only one user has one (names
 * are unique per user, and the operator is told whose accounts share a name rather than given a guess).
 */
async function accountNamed(store: Store, name: string, username: string | undefined): Promise<Account> {
  if (username !== undefined) {
    const user = await store.users.findByUsername(username);
    if (!user) throw new UsageError(`No user named "${username}"`);
    const account = await store.accounts.findByName(user.id, name);
    if (!account) throw new UsageError(`User "${username}" has no account named "${name}"`);
    return account;
  }
  const named = await store.accounts.listByName(name);
  const [only] = named;
  if (!only) throw new UsageError(`No account named "${name}"`);
  if (named.length > 1) {
    const owners: string[] = [];
    for (const account of named) owners.push(await ownerOf(store, account));
    const listed = `${owners.slice(0, -1).join(', ')} and ${owners.at(-1) ?? ''}`;
    throw new UsageError(`Users ${listed} each have an account named "${name}"; name its owner with --user`);
  }
  return only;
}

/**
 * Runs `work` on the configured store (with the data folder's pepper, and the box that seals broker credentials),
 * closing the store however it ends.
 */
async function withStore(work: (opened: { store: Store; pepper: Buffer; credentials: CredentialBox }) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }).catch((error: unknown) => {
    throw databaseFailure(error, config.databaseUrl) ?? error;
  });
  try {
    const pepper = loadOrCreatePepper(config.dataDir);
    await work({ store, pepper, credentials: CredentialBox.of(pepper, config.credentialsKey) });
  } finally {
    await store.close();
  }
}

async function faults(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  const [action, ...specParts] = positionals;
  await withStore(async ({ store }) => {
    if (action === undefined && specParts.length === 0) {
      const text = (await store.settings.get(PAPER_FAULTS_SETTING)) ?? '';
      console.log(text === '' ? 'No faults are injected into the paper broker.' : `${text}\n  ${describeFaultSpec(parseFaultSpec(text))}`);
      return;
    }
    if (action === 'clear' && specParts.length === 0) {
      await store.settings.delete(PAPER_FAULTS_SETTING);
      console.log('Cleared the paper broker faults; a running gateway stops injecting them within a second.');
      return;
    }
    if (action !== 'set' || specParts.length === 0) {
      throw new UsageError("faults takes no argument (show), `set SPEC` or `clear`; quote a SPEC with spaces or ';'");
    }
    const text = specParts.join(' ').trim();
    let spec: FaultSpec;
    try {
      spec = parseFaultSpec(text);
    } catch (error) {
      if (error instanceof FaultSpecError) throw new UsageError(`faults set: ${error.message}`);
      throw error;
    }
    if (!injectsFaults(spec)) await store.settings.delete(PAPER_FAULTS_SETTING);
    else await store.settings.set(PAPER_FAULTS_SETTING, text);
    console.log(`Set the paper broker faults: ${describeFaultSpec(spec)}.`);
    console.log('A running gateway applies them within a second; a restart begins with ORDERGATE_PAPER_FAULTS (none when unset).');
  });
}

async function dbCopy(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { to: { type: 'string' } }, strict: true });
  const url = values.to;
  if (url === undefined || !isPostgresUrl(url) || !URL.canParse(url)) {
    throw new UsageError('db copy takes --to postgres://USER@HOST:PORT/DATABASE, the URL of an empty PostgreSQL database');
  }
  const config = loadConfig();
  const target = describePostgresUrl(url);
  const progress = copyProgress(process.stderr);
  let counts: TableCount[];
  try {
    counts = await copyStore({ dataDir: config.dataDir, url, onProgress: (step) => progress.report(step) });
  } catch (error) {
    throw copyFailure(error, config.dataDir, target);
  } finally {
    progress.stop();
  }
  const listed = counts.map((count) => `${count.table} ${count.postgres}`).join(', ');
  console.log(`Copied ${counts.length} tables from ${config.dataDir} into ${target}: ${listed}. Counts match.`);
  // The gateway on PostgreSQL still reads its pepper from the data folder: without it no stored key digest matches.
  const dataDir = process.env.ORDERGATE_DATA_DIR === undefined ? '' : `ORDERGATE_DATA_DIR=${shellWord(config.dataDir)} `;
  console.log(
    `Start Ordergate on it: ${dataDir}DATABASE_URL=${shellWord(target)} npm start (keep this data folder: its pepper file checks every API key)`,
  );
}

/** Progress on standard error: a bar per table on a terminal, one line per copied table otherwise (a log, a pipe). */
function copyProgress(stream: NodeJS.WriteStream) {
  let bar: SingleBar | undefined;
  let current: CopiedTable | undefined;
  return {
    report({ table, copied, total }: CopyProgress): void {
      if (!stream.isTTY) {
        if (copied === total) stream.write(`${table}: ${total} row${total === 1 ? '' : 's'}\n`);
        return;
      }
      if (table === current) {
        bar?.update(copied);
        return;
      }
      bar?.stop();
      current = table;
      bar = new SingleBar({ stream, format: `${table.padEnd(16)} [{bar}] {value}/{total}`, hideCursor: true });
      bar.start(total, copied);
    },
    stop(): void {
      bar?.stop();
      bar = undefined;
    },
  };
}

/**
 * Why the PostgreSQL of DATABASE_URL could not be used (not answering, no such database, refused credentials), said as
 * what to do; undefined when the store is SQLite or the error is something else.
 */
function databaseFailure(error: unknown, databaseUrl: string | undefined): CommandFailure | undefined {
  if (databaseUrl === undefined) return undefined;
  const code = (error as { code?: unknown }).code;
  const connecting = error instanceof AggregateError || (typeof code === 'string' && /^(E[A-Z]+|08...|28...|3D000|57P0[1-3])$/.test(code));
  if (!connecting) return undefined;
  const where = describePostgresUrl(databaseUrl);
  const fix =
    code === '3D000'
      ? `create it (createdb ${new URL(databaseUrl).pathname.slice(1)}) or fix DATABASE_URL`
      : 'start PostgreSQL, or fix DATABASE_URL';
  return new CommandFailure(`cannot use the PostgreSQL database ${where} (${reasonOf(error)}): ${fix}`);
}

/** Why `db copy` did not copy, said as what to do. */
function copyFailure(error: unknown, dataDir: string, target: string): CommandFailure {
  if (error instanceof DataDirInUse) {
    return new CommandFailure(`${dataDir} is in use by a running Ordergate: stop the gateway first (the copy must not miss its last writes)`);
  }
  if (error instanceof CopyError) return new CommandFailure(`db copy: ${error.message}`);
  return new CommandFailure(`db copy into ${target} failed, no rows were copied: ${reasonOf(error)}`);
}

/** An error's own words; a refused connection to a host of several addresses is an AggregateError without them. */
function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error && error.message !== '') return error.message;
  return String((error as { code?: unknown }).code ?? error);
}

/** `text` as one word of a POSIX shell command line, quoted only when it needs to be. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function parseScopes(raw: string | undefined): ApiKeyScope[] {
  if (raw === undefined) return [...DEFAULT_SCOPES];
  const scopes = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !isApiKeyScope(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new UsageError(`--scopes takes a comma list of read, trade, admin (got "${raw}")`);
  }
  return scopes as ApiKeyScope[];
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`ordergate: ${(error as Error).message}`);
    if (error instanceof UsageError) console.error(`\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof CommandFailure) {
    console.error(`ordergate: ${error.message}`);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
