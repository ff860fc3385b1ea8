import { ResponseCipher, SealedBodyError } from './response-cipher';

describe('ResponseCipher', () => {
  const cipher = new ResponseCipher({ HASH_SECRET: 'h'.repeat(40) });
  const body = { data: { id: 'key_1', secret: 'ck_live_s3cr3t' }, meta: { request_id: 'req_1' } };

  it('round-trips a body and leaves no plain text in what is stored', () => {
    const sealed = cipher.seal(body, 'ten_1:live:k1');
    expect(JSON.stringify(sealed)).not.toContain('s3cr3t');
    expect(JSON.stringify(sealed)).not.toContain('key_1');
    expect(cipher.open(sealed, 'ten_1:live:k1')).toEqual(body);
  });

  it('uses a fresh IV per body', () => {
    expect(cipher.seal(body, 'c').data).not.toBe(cipher.seal(body, 'c').data);
  });

  it('refuses a body moved to another row or sealed under another secret', () => {
    const sealed = cipher.seal(body, 'ten_1:live:k1');
    expect(() => cipher.open(sealed, 'ten_2:live:k1')).toThrow(SealedBodyError);
    expect(() => new ResponseCipher({ HASH_SECRET: 'z'.repeat(40) }).open(sealed, 'ten_1:live:k1')).toThrow(SealedBodyError);
  });

  it('passes through rows stored before sealing', () => {
    expect(cipher.open(body, 'c')).toEqual(body);
    expect(cipher.open(null, 'c')).toBeNull();
  });
});
