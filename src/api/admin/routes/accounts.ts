// /api/admin/accounts: the caller's accounts, listed, read, created and bound to a broker (the paper exchange or one of
// the caller's broker connections).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ID_SHAPED_NAME, hasAccountIdShape } from '../../../gateway/account-names.js';
import { NoSuchBrokerConnection, PAPER_BROKER } from '../../../store/store.js';
import { AUTHENTICATED_ERRORS, AdminError, AdminErrorResponse } from '../errors.js';
import type { AdminDeps } from '../admin-context.js';
import { accountOf, accountsOf, adminPrincipalOf, requireUserSession } from '../principal.js';
import { AccountName, AccountParams, AccountResource, StoredText, accountView } from '../schemas.js';

const Broker = StoredText({
  maxLength: 64,
  description: '`paper` (the built-in exchange) or the id of one of the caller\'s broker connections (GET /api/admin/brokers)',
});

export async function accountRoutes(fastify: FastifyInstance, { accounts, analyzer }: AdminDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/accounts',
    {
      schema: {
        summary: "The caller's accounts, oldest first",
        tags: ['admin'],
        response: { 200: Type.Object({ items: Type.Array(AccountResource) }), ...AUTHENTICATED_ERRORS },
      },
    },
    async (request) => {
      const items = await accountsOf(adminPrincipalOf(request), accounts);
      await analyzer.refresh();
      return { items: items.map((a) => accountView(a, analyzer.isOn(a.id))) };
    },
  );

  app.post(
    '/accounts',
    {
      schema: {
        summary: 'Create an account, on the paper exchange or one of the caller\'s broker connections',
        description:
          'A paper account gets ORDERGATE_STARTING_CASH on its first order or funds request. Needs a login session. The ' +
          "name must be new among the caller's accounts (other users' names do not matter) and not shaped like an " +
          'account id (a UUID). `broker` defaults to `paper`; a connection that is not the caller\'s is a 404.',
        tags: ['admin'],
        body: Type.Object({ name: AccountName, broker: Type.Optional(Broker) }, { additionalProperties: false }),
        response: { 201: AccountResource, 404: AdminErrorResponse, 409: AdminErrorResponse, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = adminPrincipalOf(request);
      requireUserSession(principal);
      const { name, broker = PAPER_BROKER } = request.body;
      if (hasAccountIdShape(name)) throw new AdminError('invalid_request', `name: ${ID_SHAPED_NAME}`);
      // Only the caller's own names can clash: whether another user has the name is none of the caller's business.
      if (await accounts.findByName(principal.userId, name)) {
        throw new AdminError('conflict', `An account named "${name}" exists already`);
      }
      const account = await bound(() => accounts.create(name, principal.userId, broker));
      return reply.code(201).header('Location', `${request.url.split('?')[0]}/${account.id}`).send(accountView(account, false));
    },
  );

  app.get(
    '/accounts/:account',
    {
      schema: {
        summary: 'One of the caller\'s accounts, by id or name',
        tags: ['admin'],
        params: AccountParams,
        response: { 200: AccountResource, 404: AdminErrorResponse, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request) => {
      const account = await accountOf(adminPrincipalOf(request), accounts, request.params.account);
      await analyzer.refresh();
      return accountView(account, analyzer.isOn(account.id));
    },
  );

  app.put(
    '/accounts/:account/broker',
    {
      schema: {
        summary: 'Bind the account to a broker: the paper exchange or one of the caller\'s broker connections',
        description:
          'Orders placed from then on go to that broker. Needs a login session. A connection that is not the ' +
          "caller's is answered like a missing one (404).",
        tags: ['admin'],
        params: AccountParams,
        body: Type.Object({ broker: Broker }, { additionalProperties: false }),
        response: { 200: AccountResource, 404: AdminErrorResponse, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request) => {
      const principal = adminPrincipalOf(request);
      requireUserSession(principal);
      const account = await accountOf(principal, accounts, request.params.account);
      const rebound = await bound(() => accounts.setBroker(account.id, request.body.broker));
      if (!rebound) throw new AdminError('not_found', `No account "${request.params.account}"`);
      await analyzer.refresh();
      return accountView(rebound, analyzer.isOn(rebound.id));
    },
  );
}

/** `bind`'s result; a broker that is no connection of the account's user is a 404, like any other user's resource. */
async function bound<T>(bind: () => Promise<T>): Promise<T> {
  try {
    return await bind();
  } catch (error) {
    if (error instanceof NoSuchBrokerConnection) throw new AdminError('not_found', `No broker connection "${error.broker}"`);
    throw error;
  }
}
