import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/**
 * The bindings of a port token across every module: what `{ provide: TOKEN, useExisting: Impl }`
 * in a module's providers bound it to. For ports whose implementations live in modules that import
 * the declaring module (payments' targets, billing's paid listeners, identity's customer
 * directory): Nest injects only down the import graph, so the declaring module looks its bindings
 * up here, when it calls them. A port bound by a module the declaring module imports is injected
 * as usual (`@Inject(TOKEN)`), the binding module exporting the token.
 */
@Injectable()
export class PortBindings implements OnApplicationBootstrap {
  private readonly resolved = new Map<symbol, unknown[]>();
  private booted = false;

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    this.booted = true;
  }

  /** Every binding of `token` (none when no loaded module binds it). */
  all<T>(token: symbol): T[] {
    const known = this.resolved.get(token);
    if (known) return known as T[];
    const found = [
      ...new Set(
        this.discovery
          .getProviders()
          .filter((wrapper) => wrapper.token === token && wrapper.instance)
          .map((wrapper) => wrapper.instance as T),
      ),
    ];
    // Asked while the app is still booting: some bindings may not exist yet, so look again next time.
    if (this.booted) this.resolved.set(token, found);
    return found;
  }

  /** The one binding of `token`, or null when no loaded module binds it; two bindings are a wiring bug. */
  one<T>(token: symbol): T | null {
    const found = this.all<T>(token);
    if (found.length > 1) throw new Error(`port ${token.description ?? String(token)} is bound ${found.length} times; bind it once`);
    return found[0] ?? null;
  }
}
