import { ValidationError } from '../../platform/errors/domain-errors';

/** 422 (field `payment_method`): the customer has no saved method this provider can charge. */
export class NoSavedPaymentMethodError extends ValidationError {
  static readonly MESSAGE = 'the customer has no saved payment method';

  constructor() {
    super(`payment_method: ${NoSavedPaymentMethodError.MESSAGE}`, [{ field: 'payment_method', message: NoSavedPaymentMethodError.MESSAGE }]);
  }
}

/** 422 (field `payment_method`): live mode without a configured processor — never a fake success. */
export class PaymentProviderUnavailableError extends ValidationError {
  static readonly MESSAGE = 'payment provider not configured for live mode';

  constructor() {
    super(
      `${PaymentProviderUnavailableError.MESSAGE}: live payments need a processor adapter (PAYMENT_PROVIDER); use a test-mode key for the sandbox`,
      [{ field: 'payment_method', message: PaymentProviderUnavailableError.MESSAGE }],
    );
  }
}
