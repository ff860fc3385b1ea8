import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { PortBindings } from './port-bindings';
import { PortsModule } from './ports.module';

const GREETER = Symbol('GREETER');
const LONELY = Symbol('LONELY');

interface Greeter {
  greet(): string;
}

@Injectable()
class EnglishGreeter implements Greeter {
  greet(): string {
    return 'hello';
  }
}

@Injectable()
class FrenchGreeter implements Greeter {
  greet(): string {
    return 'bonjour';
  }
}

/** Two modules that bind the same port, neither importing the module that reads it. */
@Module({ providers: [EnglishGreeter, { provide: GREETER, useExisting: EnglishGreeter }] })
class EnglishModule {}

@Module({ providers: [FrenchGreeter, { provide: GREETER, useExisting: FrenchGreeter }] })
class FrenchModule {}

describe('PortBindings', () => {
  it('finds every binding of a token across modules, the bound instances themselves', async () => {
    const app = await Test.createTestingModule({ imports: [PortsModule, EnglishModule, FrenchModule] }).compile();
    await app.init();
    const bindings = app.get(PortBindings);
    const greeters = bindings.all<Greeter>(GREETER);
    expect(greeters.map((g) => g.greet()).sort()).toEqual(['bonjour', 'hello']);
    expect(greeters).toContain(app.get(EnglishGreeter));
    expect(bindings.one(LONELY)).toBeNull();
    expect(() => bindings.one(GREETER)).toThrow('port GREETER is bound 2 times; bind it once');
    await app.close();
  });

  it('one binding is the one', async () => {
    const app = await Test.createTestingModule({ imports: [PortsModule, FrenchModule] }).compile();
    await app.init();
    expect(app.get(PortBindings).one<Greeter>(GREETER)?.greet()).toBe('bonjour');
    await app.close();
  });
});
