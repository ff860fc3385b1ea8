/**
 * A service's credit balance against an amount owed, in integer minor units. The balance grows
 * when a change of tier or cycle has a negative net (a downgrade) and pays first for whatever the
 * service owes next: a positive proration net or a renewal's price.
 */
export interface CreditSettlement {
  /** Taken from the balance towards the amount. */
  used: number;
  /** Left to invoice (0 when the balance covers it, or when the amount is not positive). */
  due: number;
  /** Added to the balance by a negative amount (a refund of the unused part of a period). */
  credited: number;
  /** The balance afterwards. */
  balance: number;
}

/** Settles `amount` (a proration net or a renewal price; negative = owed to the customer) against `balance`. */
export function settleAgainstCredit(balance: number, amount: number): CreditSettlement {
  if (amount > 0) {
    const used = Math.min(balance, amount);
    return { used, due: amount - used, credited: 0, balance: balance - used };
  }
  const credited = amount < 0 ? -amount : 0;
  return { used: 0, due: 0, credited, balance: balance + credited };
}
