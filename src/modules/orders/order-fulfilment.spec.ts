import { fulfillmentOf } from './order-fulfilment.service';

const line = (quantity: number, fulfilledQuantity: number) => ({ quantity, fulfilledQuantity }) as never;

describe('order fulfilment from shipped units', () => {
  it('is unfulfilled, partial, then fulfilled as the lines ship', () => {
    expect(fulfillmentOf([line(3, 0), line(2, 0)])).toBe('unfulfilled');
    expect(fulfillmentOf([line(3, 2), line(2, 0)])).toBe('partial');
    expect(fulfillmentOf([line(3, 3), line(2, 0)])).toBe('partial');
    expect(fulfillmentOf([line(3, 3), line(2, 2)])).toBe('fulfilled');
  });
});
