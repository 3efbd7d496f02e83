// /api/admin/brokers: the caller's broker connections (OpenAlgo-compatible servers their accounts may trade through),
// listed, read, added with their API key (sealed at once, shown never again, not even to its owner) and removed.
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type BrokerConnection, BrokerConnectionInUse, InvalidBrokerConnection } from '../../../store/store.js';
import { AUTHENTICATED_ERRORS, AdminError, AdminErrorResponse } from '../errors.js';
import type { AdminDeps } from '../admin-context.js';
import { type AdminPrincipal, adminPrincipalOf, requireUserSession } from '../principal.js';
import { BrokerConnectionName, BrokerConnectionResource, StoredText, brokerConnectionView } from '../schemas.js';

const ConnectionParams = Type.Object({
  connection: StoredText({ maxLength: 64, description: "The connection's id or name" }),
});

/** The body's names of the fields a store rule speaks of. */
const FIELD_NAMES: Record<InvalidBrokerConnection['field'], string> = { name: 'name', kind: 'kind', baseUrl: 'base_url' };

export async function brokerRoutes(fastify: FastifyInstance, { accounts, brokerConnections, credentials }: AdminDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /** The connections the caller may see: all of the user's, or for an API key the one serving its account. */
  const visibleTo = async (principal: AdminPrincipal): Promise<BrokerConnection[]> => {
    const all = await brokerConnections.listForUser(principal.userId);
    if (principal.boundAccountId === null) return all;
    const account = await accounts.findById(principal.boundAccountId);
    return all.filter((connection) => connection.id === account?.broker);
  };

  /** The caller's connection of that id or name; another user's is answered exactly like a missing one. */
  const connectionOf = async (principal: AdminPrincipal, idOrName: string): Promise<BrokerConnection> => {
    const found = (await visibleTo(principal)).find((connection) => connection.id === idOrName || connection.name === idOrName);
    if (!found) throw new AdminError('not_found', `No broker connection "${idOrName}"`);
    return found;
  };

  app.get(
    '/brokers',
    {
      schema: {
        summary: "The caller's broker connections, oldest first",
        description: 'An admin-scope API key sees the connection serving its account only (none while that is `paper`).',
        tags: ['admin'],
        response: { 200: Type.Object({ items: Type.Array(BrokerConnectionResource) }), ...AUTHENTICATED_ERRORS },
      },
    },
    async (request) => ({ items: (await visibleTo(adminPrincipalOf(request))).map(brokerConnectionView) }),
  );

  app.get(
    '/brokers/:connection',
    {
      schema: {
        summary: "One of the caller's broker connections, by id or name",
        tags: ['admin'],
        params: ConnectionParams,
        response: { 200: BrokerConnectionResource, 404: AdminErrorResponse, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request) => brokerConnectionView(await connectionOf(adminPrincipalOf(request), request.params.connection)),
  );

  app.post(
    '/brokers',
    {
      schema: {
        summary: 'Add a broker connection: an OpenAlgo-compatible server and its API key',
        description:
          'The API key is sealed (AES-256-GCM, under a key kept outside the database) before it is stored, and never ' +
          'shown again: answers carry only its last 4 characters. Bind accounts to the connection with ' +
          'PUT /api/admin/accounts/{account}/broker. Needs a login session.',
        tags: ['admin'],
        body: Type.Object(
          {
            name: BrokerConnectionName,
            kind: Type.Literal('openalgo', { description: 'The protocol the server speaks: `openalgo` (OpenAlgo v1), the only one for now' }),
            base_url: Type.String({
              minLength: 1,
              maxLength: 2048,
              description: 'The server\'s http:// or https:// base URL (no user name, password, query or fragment), e.g. `http://127.0.0.1:5000`',
            }),
            api_key: Type.String({
              minLength: 1,
              maxLength: 512,
              pattern: '^[\\x21-\\x7e]+$',
              description: 'The API key the server issued (printable ASCII, no spaces); stored sealed, never shown again',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 201: BrokerConnectionResource, 409: AdminErrorResponse, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = adminPrincipalOf(request);
      requireUserSession(principal);
      const { name, kind, base_url: baseUrl, api_key: apiKey } = request.body;
      if (await brokerConnections.findByName(principal.userId, name)) {
        throw new AdminError('conflict', `A broker connection named "${name}" exists already`);
      }
      // The id is drawn first: the sealed key is bound to it, and opens for this connection only.
      const id = crypto.randomUUID();
      let connection: BrokerConnection;
      try {
        connection = await brokerConnections.create({
          id,
          userId: principal.userId,
          name,
          kind,
          baseUrl,
          sealedCredentials: credentials.seal(apiKey, id),
          credentialsHint: credentials.hint(apiKey),
        });
      } catch (error) {
        if (error instanceof InvalidBrokerConnection) {
          throw new AdminError('invalid_request', `${FIELD_NAMES[error.field]}: ${error.rule}`);
        }
        throw error;
      }
      return reply.code(201).header('Location', `${request.url.split('?')[0]}/${connection.id}`).send(brokerConnectionView(connection));
    },
  );

  app.delete(
    '/brokers/:connection',
    {
      schema: {
        summary: 'Remove a broker connection',
        description: 'Refused (409) while accounts are bound to it: bind them to `paper` or another connection first. Needs a login session.',
        tags: ['admin'],
        params: ConnectionParams,
        response: { 204: Type.Null(), 404: AdminErrorResponse, 409: AdminErrorResponse, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = adminPrincipalOf(request);
      requireUserSession(principal);
      const connection = await connectionOf(principal, request.params.connection);
      let removed: boolean;
      try {
        removed = await brokerConnections.remove(connection.id);
      } catch (error) {
        if (error instanceof BrokerConnectionInUse) throw new AdminError('conflict', error.message);
        throw error;
      }
      if (!removed) throw new AdminError('not_found', `No broker connection "${request.params.connection}"`);
      return reply.code(204).send(null);
    },
  );
}
