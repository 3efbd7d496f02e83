// GET /api/admin/me and PUT /api/admin/me/password: the caller and their password.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { hashPassword, passwordProblem, verifyPassword } from '../../../gateway/passwords.js';
import { AUTHENTICATED_ERRORS, AdminError } from '../errors.js';
import type { AdminDeps } from '../admin-context.js';
import { accountsOf, adminPrincipalOf, requireUserSession } from '../principal.js';
import { AccountResource, UserResource, accountView, userView } from '../schemas.js';

export async function meRoutes(fastify: FastifyInstance, { users, accounts, analyzer, auth }: AdminDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/me',
    {
      schema: {
        summary: 'The caller: their user and the accounts they reach',
        description: 'A login session reaches every account of its user; an admin-scope API key only its own.',
        tags: ['admin'],
        response: {
          200: Type.Object({
            user: UserResource,
            via: Type.Union([Type.Literal('token'), Type.Literal('key')]),
            accounts: Type.Array(AccountResource),
          }),
          ...AUTHENTICATED_ERRORS,
        },
      },
    },
    async (request) => {
      const principal = adminPrincipalOf(request);
      const user = await users.findById(principal.userId);
      if (!user) throw new AdminError('unauthorized', 'The user of this session no longer exists');
      const reachable = await accountsOf(principal, accounts);
      await analyzer.refresh();
      return {
        user: userView(user),
        via: principal.via,
        accounts: reachable.map((a) => accountView(a, analyzer.isOn(a.id))),
      };
    },
  );

  app.put(
    '/me/password',
    {
      schema: {
        summary: "Change the caller's password",
        description: 'Needs the current password. Every other session of the user is ended; this one stays.',
        tags: ['admin'],
        body: Type.Object(
          {
            current_password: Type.String({ minLength: 1, maxLength: 256 }),
            new_password: Type.String({ minLength: 1, maxLength: 256, description: '8 to 256 characters' }),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...AUTHENTICATED_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = adminPrincipalOf(request);
      requireUserSession(principal);
      const user = await users.findById(principal.userId);
      const { current_password: current, new_password: next } = request.body;
      if (!user?.passwordHash || !(await verifyPassword(current, user.passwordHash))) {
        throw new AdminError('forbidden', 'The current password is wrong');
      }
      const problem = passwordProblem(next);
      if (problem) throw new AdminError('invalid_request', `new_password: ${problem}`);
      await users.setPasswordHash(user.id, await hashPassword(next));
      await auth.endOtherSessions(user.id, principal.sessionId);
      return reply.code(204).send(null);
    },
  );
}
