import { isPublicAddress, webhookUrlProblem } from './webhook-url';

describe('webhook URL safety', () => {
  it.each(['10.0.0.1', '169.254.169.254', '127.0.0.1', '::1', '192.168.1.1', '172.16.0.1', '::ffff:127.0.0.1', '0.0.0.0', 'fc00::1'])(
    'refuses %s',
    (address) => expect(isPublicAddress(address)).toBe(false),
  );

  it('accepts public unicast addresses', () => {
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    expect(isPublicAddress('2606:2800:220:1:248:1893:25c8:1946')).toBe(true);
  });

  it('refuses private targets, names resolving to loopback, and http in live mode', async () => {
    expect(await webhookUrlProblem('https://10.0.0.1/hook', 'live', false)).toMatch(/private/);
    expect(await webhookUrlProblem('https://169.254.169.254/latest/meta-data', 'live', false)).toMatch(/private/);
    expect(await webhookUrlProblem('https://[::1]/hook', 'live', false)).toMatch(/private/);
    expect(await webhookUrlProblem('https://localhost/hook', 'live', false)).toMatch(/127\.0\.0\.1|::1/);
    expect(await webhookUrlProblem('http://93.184.216.34/hook', 'live', false)).toBe('must use https in live mode');
    expect(await webhookUrlProblem('not a url', 'live', false)).toBe('must be an absolute URL');
    expect(await webhookUrlProblem('https://user:pw@93.184.216.34/', 'live', false)).toMatch(/credentials/);
  });

  it('lets development and tests use loopback when allowed', async () => {
    expect(await webhookUrlProblem('http://127.0.0.1:9999/hook', 'live', true)).toBeNull();
  });
});
