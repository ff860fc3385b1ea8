import { RequestContext, type Actor } from '../context/request-context';
import { AuthorizationError } from '../errors/domain-errors';
import { STAFF_ROLES } from './auth.decorator';
import { authorize } from './authorize';

const key = (access: 'read_only' | 'read_write', scopes: string[] | null) =>
  new RequestContext('r', 'ten_1', 'live', { kind: 'api_key', keyId: 'key_1', access }, scopes);
const user = (role: 'owner' | 'admin' | 'staff' | 'customer', mode: 'live' | 'test' = 'live') =>
  new RequestContext('r', 'ten_1', mode, { kind: 'user', userId: 'u', role, customerId: null, tokenId: 't', familyId: 'f', expiresAt: 0 } as Actor, null);

const read = { resource: 'products', access: 'read' as const, roles: STAFF_ROLES };
const write = { resource: 'products', access: 'write' as const, roles: STAFF_ROLES };

describe('authorize', () => {
  it('lets a read-write key without scopes do anything but user-only routes', () => {
    expect(() => authorize(key('read_write', null), write)).not.toThrow();
    expect(() => authorize(key('read_write', null), { ...write, usersOnly: true })).toThrow(AuthorizationError);
  });

  it('refuses writes to read-only keys', () => {
    expect(() => authorize(key('read_only', null), read)).not.toThrow();
    expect(() => authorize(key('read_only', null), write)).toThrow('read-only');
  });

  it('checks scopes; write implies read', () => {
    expect(() => authorize(key('read_write', ['products:read']), read)).not.toThrow();
    expect(() => authorize(key('read_write', ['products:read']), write)).toThrow('products:write');
    expect(() => authorize(key('read_write', ['products:write']), read)).not.toThrow();
    expect(() => authorize(key('read_write', ['orders:write']), read)).toThrow('products:read');
    expect(() => authorize(key('read_write', ['orders:write']), { ...read, selfService: true })).not.toThrow();
  });

  it('checks user roles', () => {
    expect(() => authorize(user('staff'), read)).not.toThrow();
    expect(() => authorize(user('customer'), read)).toThrow('customer role');
    expect(() => authorize(user('customer'), { ...read, roles: ['customer'] })).not.toThrow();
  });

  it('keeps user and key management to live-mode user tokens', () => {
    const manage = { resource: 'users', access: 'read' as const, roles: ['owner', 'admin'] as const, liveUsersOnly: true };
    expect(() => authorize(user('owner'), manage)).not.toThrow();
    expect(() => authorize(user('admin'), manage)).not.toThrow();
    expect(() => authorize(user('owner', 'test'), manage)).toThrow('test-mode');
    expect(() => authorize(user('staff'), manage)).toThrow('staff role');
    expect(() => authorize(key('read_write', null), manage)).toThrow('API keys cannot');
    expect(() => authorize(key('read_write', ['users:write']), manage)).toThrow(AuthorizationError);
    const testKey = new RequestContext('r', 'ten_1', 'test', { kind: 'api_key', keyId: 'key_2', access: 'read_write' }, null);
    expect(() => authorize(testKey, manage)).toThrow('API keys cannot');
  });
  it('lets a customer personal token use customer routes only, never credential management', () => {
    const token = (access: 'read_only' | 'read_write') =>
      new RequestContext('r', 'ten_1', 'live', { kind: 'customer_token', tokenId: 'key_1', userId: 'usr_1', customerId: 'cus_1', access }, null);
    const customerRead = { ...read, roles: ['customer'] as const };
    expect(() => authorize(token('read_write'), customerRead)).not.toThrow();
    expect(() => authorize(token('read_write'), read)).toThrow('cannot use this route');
    expect(() => authorize(token('read_write'), { ...customerRead, usersOnly: true })).toThrow('personal API tokens cannot');
    expect(() => authorize(token('read_only'), { ...customerRead, access: 'write' })).toThrow('read-only');
    expect(() => authorize(token('read_write'), { resource: 'users', access: 'read', roles: ['customer'], liveUsersOnly: true })).toThrow(AuthorizationError);
    expect(token('read_only').customerScope).toBe('cus_1');
  });

  it('holds an OAuth access token to its granted scopes, never to people and credential management', () => {
    const app = new RequestContext('r', 'ten_1', 'live', { kind: 'oauth_app', clientId: 'oac_1', clientName: 'App', tokenId: 'otk_1', grantId: null, userId: null, expiresAt: new Date() }, ['products:write']);
    expect(() => authorize(app, read)).not.toThrow();
    expect(() => authorize(app, write)).not.toThrow();
    expect(() => authorize(app, { ...read, resource: 'orders' })).toThrow('orders:read');
    expect(() => authorize(app, { ...write, usersOnly: true })).toThrow('OAuth access tokens cannot');
    expect(() => authorize(app, { resource: 'users', access: 'read', roles: ['owner'], liveUsersOnly: true })).toThrow(AuthorizationError);
    expect(() => authorize(app.with({ scopes: null }), read)).toThrow('products:read');
    expect(app.credentialId).toBe('oac_1:ten_1');
  });
});
