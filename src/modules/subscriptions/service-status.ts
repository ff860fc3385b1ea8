/**
 * The service (subscription) state machine as data.
 *
 *   pending ──(first invoice paid | activate: true)──→ active
 *   active ──(renewal charge fails)──→ past_due ──(invoice paid)──→ active
 *   active | past_due ──(suspend | grace period over)──→ suspended ──(unsuspend | invoice paid)──→ active
 *   any but terminated ──(terminate)──→ terminated (final)
 *
 * `TRANSITIONS[from]` lists every status a service may move to; `ACTIONS` are the operations of the
 * API and the workers, each with the statuses it starts from, where it goes and the event it records.
 * The repository moves a status only with `UPDATE … WHERE status = <expected>`.
 */
export const SERVICE_STATUSES = ['pending', 'active', 'past_due', 'suspended', 'terminated'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const BILLING_CYCLES = ['monthly', 'quarterly', 'yearly'] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];

export const TRANSITIONS: Readonly<Record<ServiceStatus, readonly ServiceStatus[]>> = {
  pending: ['active', 'terminated'],
  active: ['past_due', 'suspended', 'terminated'],
  past_due: ['active', 'suspended', 'terminated'],
  suspended: ['active', 'terminated'],
  terminated: [],
};

export type ServiceEventType = 'service.suspended' | 'service.unsuspended' | 'service.terminated';

export interface ServiceAction {
  from: readonly ServiceStatus[];
  to: ServiceStatus;
  /** The event recorded in the transition's transaction, if any. */
  event: ServiceEventType | null;
}

export type ServiceActionName = 'activate' | 'suspend' | 'unsuspend' | 'terminate' | 'mark_past_due' | 'reactivate' | 'dunning_suspend';

export const ACTIONS: Readonly<Record<ServiceActionName, ServiceAction>> = {
  /** A pending service's first invoice was paid (or `activate: true` at creation). */
  activate: { from: ['pending'], to: 'active', event: null },
  /** `POST /services/{id}/suspend`. */
  suspend: { from: ['active', 'past_due'], to: 'suspended', event: 'service.suspended' },
  /** `POST /services/{id}/unsuspend` (staff override: the open invoice stays open). */
  unsuspend: { from: ['suspended'], to: 'active', event: 'service.unsuspended' },
  /** `POST /services/{id}/terminate`: final. */
  terminate: { from: ['pending', 'active', 'past_due', 'suspended'], to: 'terminated', event: 'service.terminated' },
  /** The renewal charge failed. */
  mark_past_due: { from: ['active'], to: 'past_due', event: null },
  /** A past-due service's invoice was paid. */
  reactivate: { from: ['past_due'], to: 'active', event: null },
  /** Unpaid for SUSPEND_AFTER_DAYS_PAST_DUE days. */
  dunning_suspend: { from: ['past_due'], to: 'suspended', event: 'service.suspended' },
};

/** The API's manual transitions, `POST /services/{id}/{action}`. */
export const MANUAL_ACTIONS = ['suspend', 'unsuspend', 'terminate'] as const;
export type ManualAction = (typeof MANUAL_ACTIONS)[number];

export function canTransition(from: ServiceStatus, to: ServiceStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function canApply(action: ServiceActionName, from: ServiceStatus): boolean {
  return ACTIONS[action].from.includes(from);
}

/** Manual actions that may be applied from `from` (for the 409's details). */
export function allowedActions(from: ServiceStatus): ManualAction[] {
  return MANUAL_ACTIONS.filter((a) => canApply(a, from));
}

/** Services in these statuses count as live subscriptions (`is_active`): past_due is the grace period. */
export const LIVE_STATUSES: readonly ServiceStatus[] = ['active', 'past_due'];
