// /api/admin/accounts/:account/keys: an account's API keys, listed by prefix, issued, revoked and rotated.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AUTHENTICATED_ERRORS, AdminError, AdminErrorResponse } from '../errors.js';
import type { AdminDeps } from '../admin-context.js';
import { accountOf, adminPrincipalOf } from '../principal.js';
import { AccountParams, ApiKeyResource, IssuedApiKeyResource, ScopeList, StoredText, apiKeyView } from '../schemas.js';

const KeyParams = Type.Object({ ...AccountParams.properties, keyId: StoredText({ maxLength: 64 }) });
const notFound = { 404: AdminErrorResponse };

export async function keyRoutes(fastify: FastifyInstance, { accounts, apiKeys, keys }: AdminDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/accounts/:account/keys',
    {
      schema: {
        summary: "The account's API keys, active and revoked, by prefix",
        tags: ['admin'],
        params: AccountParams,
        response: { 200: Type.Object({ items: Type.Array(ApiKeyResource) }), ...notFound, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request) => {
      const account = await accountOf(adminPrincipalOf(request), accounts, request.params.account);
      return { items: (await apiKeys.listByAccount(account.id)).map(apiKeyView) };
    },
  );

  app.post(
    '/accounts/:account/keys',
    {
      schema: {
        summary: 'Issue an API key for the account',
        description: 'The answer holds the key; it is never shown again. Scopes default to read and trade.',
        tags: ['admin'],
        params: AccountParams,
        body: Type.Object({ scopes: Type.Optional(ScopeList) }, { additionalProperties: false }),
        response: { 201: IssuedApiKeyResource, ...notFound, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request, reply) => {
      const account = await accountOf(adminPrincipalOf(request), accounts, request.params.account);
      const issued = await keys.issue(account.id, request.body.scopes ?? ['read', 'trade']);
      return reply.code(201).send({ ...apiKeyView(issued.info), key: issued.key });
    },
  );

  app.delete(
    '/accounts/:account/keys/:keyId',
    {
      schema: {
        summary: 'Revoke a key',
        description:
          'Refused from the next request on by this gateway, and by every other gateway on the same database as soon as ' +
          'it hears of the change. Revoking a revoked key is a no-op.',
        tags: ['admin'],
        params: KeyParams,
        response: { 200: ApiKeyResource, ...notFound, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request) => {
      const account = await accountOf(adminPrincipalOf(request), accounts, request.params.account);
      const key = await keyOf(apiKeys, account.id, request.params.keyId);
      await apiKeys.revokeById(key.id);
      return apiKeyView((await apiKeys.findById(key.id)) ?? key);
    },
  );

  app.post(
    '/accounts/:account/keys/:keyId/rotate',
    {
      schema: {
        summary: 'Rotate a key: revoke it and issue a new one with the same scopes, at once',
        description: 'To switch clients over without a gap, issue a second key first and revoke the old one later.',
        tags: ['admin'],
        params: KeyParams,
        response: { 201: IssuedApiKeyResource, 409: AdminErrorResponse, ...notFound, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request, reply) => {
      const account = await accountOf(adminPrincipalOf(request), accounts, request.params.account);
      const key = await keyOf(apiKeys, account.id, request.params.keyId);
      const rotated = await keys.rotate(key.id);
      if (!rotated) throw new AdminError('conflict', `Key ${key.prefix}… is revoked; issue a new key instead`);
      return reply.code(201).send({ ...apiKeyView(rotated.info), key: rotated.key });
    },
  );
}

async function keyOf(apiKeys: AdminDeps['apiKeys'], accountId: string, keyId: string) {
  const key = await apiKeys.findById(keyId);
  if (!key || key.accountId !== accountId) throw new AdminError('not_found', `No key "${keyId}" on this account`);
  return key;
}
