import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateProductRequestDto as CreateProductDto, CreateTierRequestDto as CreateTierDto, UpdateProductRequestDto as UpdateProductDto } from '../../src/generated/request-dtos';

function fieldsWithErrors<T extends object>(cls: new () => T, body: object): string[] {
  const errors = validateSync(plainToInstance(cls, body) as object, { whitelist: true, forbidNonWhitelisted: true });
  const flatten = (list: typeof errors, parent = ''): string[] =>
    list.flatMap((e) => {
      const field = parent ? `${parent}.${e.property}` : e.property;
      return [...(Object.keys(e.constraints ?? {}).length ? [field] : []), ...flatten(e.children ?? [], field)];
    });
  return flatten(errors);
}

const valid = { sku: 'TEE-1', name: 'Tee', price: 1999 };

describe('catalog request rules (DTOs generated from the spec)', () => {
  it('accepts a minimal and a full product', () => {
    expect(fieldsWithErrors(CreateProductDto, valid)).toEqual([]);
    expect(
      fieldsWithErrors(CreateProductDto, {
        ...valid, description: null, currency: 'eur', status: 'draft', type: 'subscription', label_name: 'pro',
        categories: ['a'], images: ['https://x.example/a.png'], attributes: { size: 'M', grams: 120, organic: true },
        metadata: { ref: '42' }, variants: [{ sku: 'TEE-1-M', price: null, attributes: { size: 'M' } }],
      }),
    ).toEqual([]);
  });

  it.each([
    [{ price: 19.99 }, 'price'],
    [{ price: -5 }, 'price'],
    [{ price: Number.MAX_SAFE_INTEGER + 2 }, 'price'],
    [{ currency: 'usdollar' }, 'currency'],
    [{ sku: 'a/b' }, 'sku'],
    [{ sku: 'x'.repeat(65) }, 'sku'],
    [{ metadata: { a: 1 } }, 'metadata'],
    [{ metadata: ['a'] }, 'metadata'],
    [{ attributes: { a: null } }, 'attributes'],
    [{ attributes: { a: [1] } }, 'attributes'],
    [{ categories: [''] }, 'categories'],
    [{ stock: 3 }, 'stock'],
    [{ variants: [{ sku: 'ok', extra: 1 }] }, 'variants.0.extra'],
  ])('rejects %j naming %s', (change, field) => {
    expect(fieldsWithErrors(CreateProductDto, { ...valid, ...change })).toContain(field);
  });

  it('lets an update clear nullable fields but not required ones', () => {
    expect(fieldsWithErrors(UpdateProductDto, { description: null, label_name: null })).toEqual([]);
    expect(fieldsWithErrors(UpdateProductDto, { name: null, price: null, sku: null })).toEqual(['sku', 'name', 'price']);
    expect(fieldsWithErrors(UpdateProductDto, {})).toEqual([]);
  });

  it('validates tiers', () => {
    expect(fieldsWithErrors(CreateTierDto, { label_name: 'pro', name: 'Pro', price: 900, billing_cycle: 'yearly' })).toEqual([]);
    expect(fieldsWithErrors(CreateTierDto, { label_name: 'pro plan', name: 'Pro', price: 9.5, billing_cycle: 'weekly', is_popular: 'yes' }).sort()).toEqual(
      ['billing_cycle', 'is_popular', 'label_name', 'price'],
    );
  });
});
