import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PortBindings } from './port-bindings';

/** Imported by a module that looks up the bindings of its own ports (see PortBindings). */
@Module({
  imports: [DiscoveryModule],
  providers: [PortBindings],
  exports: [PortBindings],
})
export class PortsModule {}
