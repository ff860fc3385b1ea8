import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import type { Mode } from '../../../platform/context/request-context';
import type { Registrar, RegistrarDirectory } from './registrar';
import { SandboxRegistrar } from './sandbox-registrar';

/** Test mode always talks to the sandbox; live mode to DOMAIN_REGISTRAR (the sandbox until an EPP adapter is configured). */
@Injectable()
export class Registrars implements RegistrarDirectory {
  private readonly sandbox = new SandboxRegistrar();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  forMode(mode: Mode): Registrar {
    if (mode === 'test') return this.sandbox;
    switch (this.config.DOMAIN_REGISTRAR) {
      case 'sandbox':
        return this.sandbox;
    }
  }
}
