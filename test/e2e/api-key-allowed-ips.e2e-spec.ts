import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';

/** API keys restricted to client addresses (issue 22 item 2), directly and behind a configured proxy. */
describe('API key allowed_ips (e2e)', () => {
  let direct: TestApp;
  let proxied: TestApp;
  let shop: TenantFixture;

  beforeAll(async () => {
    direct = await startTestApp();
    process.env.TRUST_PROXY_HOPS = '1';
    try {
      proxied = await startTestApp();
    } finally {
      delete process.env.TRUST_PROXY_HOPS;
    }
    shop = await signUpTenant(direct.http, 'Locked-down shop');
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  const keyFor = async (allowed: string[]) => {
    const res = await direct.http.post('/api/v1/api-keys', { name: 'restricted', allowed_ips: allowed }, { token: shop.accessToken });
    expect(res.status).toBe(201);
    return res.body.data as { secret: string; allowed_ips: string[] };
  };

  it('stores the blocks canonically and refuses entries that are not addresses', async () => {
    const key = await keyFor(['203.0.113.0/24', '2001:0db8::/32', '198.51.100.7']);
    expect(key.allowed_ips).toEqual(['203.0.113.0/24', '2001:db8::/32', '198.51.100.7/32']);
    const bad = await direct.http.post('/api/v1/api-keys', { name: 'bad', allowed_ips: ['10.0.0.0/8', 'intranet'] }, { token: shop.accessToken });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('allowed_ips[1]');
  });

  it('refuses another address with a 403 naming the rule, not the list', async () => {
    const key = await keyFor(['203.0.113.0/24']);
    const res = await direct.http.get('/api/v1/auth/me', { token: key.secret });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('authorization_error');
    expect(res.body.error.message).toContain('allowed_ips');
    expect(res.body.error.message).not.toContain('203.0.113');
    const local = await keyFor(['127.0.0.0/8', '::1/128']);
    expect((await direct.http.get('/api/v1/auth/me', { token: local.secret })).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY_HOPS trusts the proxy in front', async () => {
    const key = await keyFor(['203.0.113.0/24', '2001:db8::/32']);
    const spoofed = await direct.http.get('/api/v1/auth/me', { token: key.secret, headers: { 'X-Forwarded-For': '203.0.113.5' } });
    expect(spoofed.status).toBe(403);

    const viaProxy = await proxied.http.get('/api/v1/auth/me', { token: key.secret, headers: { 'X-Forwarded-For': '203.0.113.5' } });
    expect(viaProxy.status).toBe(200);
    const ipv6 = await proxied.http.get('/api/v1/auth/me', { token: key.secret, headers: { 'X-Forwarded-For': '2001:db8::42' } });
    expect(ipv6.status).toBe(200);
    // One trusted hop: only the address our proxy saw counts, not what the client wrote before it.
    const chained = await proxied.http.get('/api/v1/auth/me', { token: key.secret, headers: { 'X-Forwarded-For': '203.0.113.5, 198.51.100.1' } });
    expect(chained.status).toBe(403);
  });
});
