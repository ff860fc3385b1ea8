import { billableGrams, decimalOf, dimensionalGrams, toGrams, toMillimetres } from './units';

describe('shipping units', () => {
  it('converts exactly and rounds up to whole grams', () => {
    expect(toGrams(1, 'lb')).toBe(454); // 453.59237 g
    expect(toGrams(10, 'lb')).toBe(4536); // 4535.9237 g
    expect(toGrams(4.5359237, 'kg')).toBe(4536); // exactly 10 lb
    expect(toGrams(2.2, 'lb')).toBe(998); // 997.903214 g, not the float 2.2000000000000002
    expect(toGrams(16, 'oz')).toBe(454); // 453.59237 g
    expect(toGrams(1, 'oz')).toBe(29); // 28.349523125 g
    expect(toGrams(1.5, 'kg')).toBe(1500);
    expect(toGrams(0.001, 'g')).toBe(1);
  });

  it('converts exactly and rounds up to whole millimetres', () => {
    expect(toMillimetres(12, 'in')).toBe(305); // 304.8 mm
    expect(toMillimetres(10, 'in')).toBe(254);
    expect(toMillimetres(30.48, 'cm')).toBe(305); // 304.8 mm
    expect(toMillimetres(0.1, 'cm')).toBe(1);
  });

  it('reads a JSON number as the decimal the client wrote', () => {
    expect(decimalOf(2.2, 'w')).toEqual([22n, 10n]);
    expect(decimalOf(0.1, 'w')).toEqual([1n, 10n]);
    expect(() => decimalOf(1e-7, 'w')).toThrow(/decimal/);
    expect(() => decimalOf(1.1234567891, 'w')).toThrow(/decimal places/);
  });

  it('weighs a box by its volume over the divisor, rounded up', () => {
    const box = { weightGrams: 500, lengthMm: 400, widthMm: 300, heightMm: 200 }; // 24,000,000 mm³
    expect(dimensionalGrams(box, 5000)).toBe(4800);
    expect(billableGrams(box, 5000)).toBe(4800);
    expect(dimensionalGrams(box, 7000)).toBe(3429); // 3428.57… up
    expect(billableGrams({ ...box, weightGrams: 9000 }, 5000)).toBe(9000);
  });
});
