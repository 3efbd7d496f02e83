// POST /api/auth/login, /refresh, /logout: password login to a session of short-lived access tokens and rotating
// refresh tokens.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AdminError, AdminErrorResponse } from '../errors.js';
import { StoredText } from '../schemas.js';
import { type AdminDeps, enforceRateLimit } from '../admin-context.js';
import { AuthFailure, type TokenPair } from '../../../gateway/auth-tokens.js';

const TokenResponse = Type.Object({
  access_token: Type.String({ description: 'JWT (HS256) for `Authorization: Bearer`; lives `expires_in` seconds' }),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds the access token lives (at most 1800)' }),
  refresh_token: Type.String({ description: 'Single-use: exchange it at /api/auth/refresh for a new pair' }),
  refresh_expires_in: Type.Integer({ description: 'Seconds the refresh token lives unless used' }),
});

const RefreshBody = Type.Object({ refresh_token: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false });

const errors = { 400: AdminErrorResponse, 401: AdminErrorResponse, 429: AdminErrorResponse, 503: AdminErrorResponse };

export async function authRoutes(fastify: FastifyInstance, { auth, rateLimits }: AdminDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/login',
    {
      schema: {
        summary: 'Log in with a username and password',
        description:
          'Opens a session. Limited per client IP (every attempt) and per username (LOGIN_RATE_LIMIT_MIN, ' +
          'LOGIN_RATE_LIMIT_HOUR); the username limit counts and refuses only attempts from addresses that have not ' +
          'logged in as that user within the refresh-token lifetime. Wrong and unknown credentials get the same 401.',
        tags: ['auth'],
        body: Type.Object(
          {
            username: StoredText({ maxLength: 128 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: TokenResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      await enforceRateLimit(rateLimits, 'login', `ip:${request.ip}`, reply);
      // The username's budget is shared by every address that has not logged in as that user lately; a refusal
      // there would otherwise let anyone who knows the name lock its owner out.
      if (!(await auth.isKnownAddress(username, request.ip))) {
        await enforceRateLimit(rateLimits, 'login', `user:${username.toLowerCase()}`, reply);
      }
      const pair = await auth.login(username, password, request.ip);
      if (!pair) throw new AdminError('unauthorized', 'Invalid username or password');
      return tokenView(pair);
    },
  );

  app.post(
    '/refresh',
    {
      schema: {
        summary: 'Exchange a refresh token for a new access and refresh token',
        description:
          'Each refresh token works once. Presenting a used one again revokes its whole session (every token issued ' +
          'from that login), since only a copy of the token can explain it.',
        tags: ['auth'],
        body: RefreshBody,
        response: { 200: TokenResponse, ...errors },
      },
    },
    async (request, reply) => {
      await enforceRateLimit(rateLimits, 'api', `ip:${request.ip}`, reply);
      try {
        return tokenView(await auth.refresh(request.body.refresh_token));
      } catch (error) {
        if (error instanceof AuthFailure) throw new AdminError('unauthorized', error.message);
        throw error;
      }
    },
  );

  app.post(
    '/logout',
    {
      schema: {
        summary: 'End the session of a refresh token',
        description: 'Its refresh tokens and its access tokens stop working at once. Unknown tokens are ignored.',
        tags: ['auth'],
        body: RefreshBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await enforceRateLimit(rateLimits, 'api', `ip:${request.ip}`, reply);
      await auth.logoutByRefreshToken(request.body.refresh_token);
      return reply.code(204).send(null);
    },
  );
}

function tokenView(pair: TokenPair) {
  return {
    access_token: pair.accessToken,
    token_type: 'Bearer' as const,
    expires_in: pair.accessExpiresIn,
    refresh_token: pair.refreshToken,
    refresh_expires_in: pair.refreshExpiresIn,
  };
}
