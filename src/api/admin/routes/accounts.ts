// /api/admin/accounts: the caller's accounts, listed, read and created.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ID_SHAPED_NAME, hasAccountIdShape } from '../../../gateway/account-names.js';
import { AUTHENTICATED_ERRORS, AdminError, AdminErrorResponse } from '../errors.js';
import type { AdminDeps } from '../plugin.js';
import { accountOf, accountsOf, adminPrincipalOf, requireUserSession } from '../principal.js';
import { AccountName, AccountParams, AccountResource, accountView } from '../schemas.js';

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
        summary: 'Create an account on the paper exchange',
        description:
          'The account gets ORDERGATE_STARTING_CASH on its first order or funds request. Needs a login session. The ' +
          "name must be new among the caller's accounts (other users' names do not matter) and not shaped like an " +
          'account id (a UUID).',
        tags: ['admin'],
        body: Type.Object(
          { name: AccountName, broker: Type.Optional(Type.Literal('paper', { description: 'Only `paper` for now' })) },
          { additionalProperties: false },
        ),
        response: { 201: AccountResource, 409: AdminErrorResponse, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = adminPrincipalOf(request);
      requireUserSession(principal);
      const { name } = request.body;
      if (hasAccountIdShape(name)) throw new AdminError('invalid_request', `name: ${ID_SHAPED_NAME}`);
      // Only the caller's own names can clash: whether another user has the name is none of the caller's business.
      if (await accounts.findByName(principal.userId, name)) {
        throw new AdminError('conflict', `An account named "${name}" exists already`);
      }
      const account = await accounts.create(name, principal.userId);
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
}
