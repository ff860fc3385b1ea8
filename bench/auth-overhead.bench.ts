import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Auth, Public } from '../src/platform/auth/auth.decorator';
import { createApp } from '../src/app.factory';
import { load, printTable } from './support';
import type { Answer } from './http-app';

@Controller('bench')
class BenchController {
  @Public()
  @Get('public')
  open() {
    return { ok: true };
  }

  @Auth('users', 'read', { selfService: true })
  @Get('private')
  guarded() {
    return { ok: true };
  }
}

@Module({ controllers: [BenchController] })
class BenchModule {}

/**
 * The cost of authentication: the same trivial route served with no credential (baseline) and
 * with an API key (key lookup in PostgreSQL, hash check, tenant limits, Redis rate-limit bucket).
 */
export async function benchAuthOverhead(seconds: number): Promise<void> {
  const app = await createApp({ extraModules: [BenchModule] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    const signUp = await fetch(`${base}/api/v1/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench', email: `bench-${randomUUID()}@example.test`, password: 'bench-password' }),
    }).then((r) => r.json() as Promise<Answer<'SignUpResult'>>);
    const token = signUp.data.access_token;
    const key = await fetch(`${base}/api/v1/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'bench' }),
    }).then((r) => r.json() as Promise<Answer<'ApiKeyWithSecret'>>);

    await load('warm-up', `${base}/api/v1/bench/private`, { seconds: 2, headers: { authorization: `Bearer ${key.data.secret}` } });
    const baseline = await load('GET public route, no credential', `${base}/api/v1/bench/public`, { seconds });
    const withKey = await load('GET same route with an API key', `${base}/api/v1/bench/private`, {
      seconds,
      headers: { authorization: `Bearer ${key.data.secret}` },
    });
    const withJwt = await load('GET same route with a user JWT', `${base}/api/v1/bench/private`, {
      seconds,
      headers: { authorization: `Bearer ${token}` },
    });
    console.log(`\n### Authentication overhead (10 connections, ${seconds} s each)\n`);
    printTable([baseline, withKey, withJwt], baseline);
  } finally {
    await app.close();
  }
}
