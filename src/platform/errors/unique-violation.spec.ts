import { isUniqueViolation, violatedConstraint } from './unique-violation';

describe('unique violations', () => {
  it('reads SQLSTATE 23505 on the error or on the driver error TypeORM wraps', () => {
    expect(isUniqueViolation({ code: '23505' })).toBe(true);
    expect(isUniqueViolation({ driverError: { code: '23505' } })).toBe(true);
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
    expect(isUniqueViolation(new Error('duplicate key value violates unique constraint'))).toBe(false);
  });

  it('names the violated constraint', () => {
    expect(violatedConstraint({ code: '23505', constraint: 'uq_products_sku' })).toBe('uq_products_sku');
    expect(violatedConstraint({ code: '23505', driverError: { constraint: 'uq_x' } })).toBe('uq_x');
    expect(violatedConstraint({ code: '23505' })).toBe('');
    expect(violatedConstraint({ code: '40001', constraint: 'uq_x' })).toBeNull();
  });
});
