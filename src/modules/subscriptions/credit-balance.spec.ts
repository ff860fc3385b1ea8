import { settleAgainstCredit } from './credit-balance';

describe('credit balance (hand-computed)', () => {
  it('an upgrade net of 2000 with 500 credit: 500 used, 1500 invoiced, balance 0', () => {
    expect(settleAgainstCredit(500, 2000)).toEqual({ used: 500, due: 1500, credited: 0, balance: 0 });
  });

  it('credit larger than the net covers it: nothing invoiced, the rest stays', () => {
    expect(settleAgainstCredit(3000, 2000)).toEqual({ used: 2000, due: 0, credited: 0, balance: 1000 });
  });

  it('no credit: the whole net is invoiced', () => {
    expect(settleAgainstCredit(0, 2000)).toEqual({ used: 0, due: 2000, credited: 0, balance: 0 });
  });

  it('a downgrade net of −404 adds 404 to the balance and invoices nothing', () => {
    expect(settleAgainstCredit(100, -404)).toEqual({ used: 0, due: 0, credited: 404, balance: 504 });
  });

  it('a zero net (or a free renewal) changes nothing', () => {
    expect(settleAgainstCredit(700, 0)).toEqual({ used: 0, due: 0, credited: 0, balance: 700 });
  });

  it('a renewal of 999 with 1200 credit is paid by the balance; the next one with the 201 left owes 798', () => {
    const first = settleAgainstCredit(1200, 999);
    expect(first).toEqual({ used: 999, due: 0, credited: 0, balance: 201 });
    expect(settleAgainstCredit(first.balance, 999)).toEqual({ used: 201, due: 798, credited: 0, balance: 0 });
  });
});
