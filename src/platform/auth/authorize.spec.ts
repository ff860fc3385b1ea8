import { RequestContext, type Actor } from '../context/request-context';
import { AuthorizationError } from '../errors/domain-errors';
import { STAFF_ROLES } from './auth.decorator';
import { authorize } from './authorize';

const key = (access: 'read_only' | 'read_write', scopes: string[] | null) =>
  new RequestContext('r', 'ten_1', 'live', { kind: 'api_key', keyId: 'key_1', access }, scopes);
const user = (role: 'owner' | 'admin' | 'staff' | 'customer') =>
  new RequestContext('r', 'ten_1', 'live', { kind: 'user', userId: 'u', role, customerId: null, tokenId: 't', familyId: 'f', expiresAt: 0 } as Actor, null);

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
});
