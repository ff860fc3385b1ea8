import { randomInt } from 'node:crypto';
import type { Registrar, RegistrarAvailability } from './registrar';

/**
 * The built-in registrar of test mode (and of live mode by default): no network, deterministic
 * answers from the name alone, so tests and demos know what to expect. A name whose first label
 * starts with `taken` is registered elsewhere; every other name is free. Every other call succeeds.
 */
export class SandboxRegistrar implements Registrar {
  readonly name = 'sandbox';

  async check(name: string): Promise<RegistrarAvailability> {
    return name.split('.')[0].startsWith('taken') ? { available: false, reason: 'taken' } : { available: true };
  }

  async register(): Promise<void> {}

  async renew(): Promise<void> {}

  async setNameservers(): Promise<void> {}

  /** 16 characters from an alphabet without look-alikes, plus a digit and a symbol as registries require. */
  async requestTransferOut(): Promise<{ authCode: string }> {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
    let code = '';
    for (let i = 0; i < 16; i++) code += alphabet[randomInt(alphabet.length)];
    return { authCode: `${code}-${randomInt(10)}!` };
  }
}
