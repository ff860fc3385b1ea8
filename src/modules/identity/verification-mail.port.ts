import type { RequestContext } from '../../platform/context/request-context';

/**
 * Identity's port for sending the sign-up verification e-mail. Identity cannot import
 * notifications (notifications imports identity), so NotificationsModule binds it; identity looks
 * it up through PortBindings. The mail is live (it must reach the owner) and is the one live mail
 * an unverified tenant may send.
 */
export interface VerificationMailer {
  sendVerificationLink(ctx: RequestContext, mail: { to: string; tenantName: string; url: string; expiresAt: Date; dedupeKey: string }): Promise<void>;
}

export const VERIFICATION_MAILER = Symbol('VERIFICATION_MAILER');
