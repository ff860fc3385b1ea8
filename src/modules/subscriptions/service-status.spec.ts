import { ACTIONS, SERVICE_STATUSES, TRANSITIONS, allowedActions, canApply, canTransition, type ServiceActionName } from './service-status';

describe('service state machine', () => {
  it('every action moves along an edge of the transition map', () => {
    for (const [name, action] of Object.entries(ACTIONS)) {
      for (const from of action.from) {
        expect({ name, from, ok: canTransition(from, action.to) }).toEqual({ name, from, ok: true });
      }
    }
  });

  it('terminated is final and every status can be terminated from anywhere else', () => {
    expect(TRANSITIONS.terminated).toEqual([]);
    for (const s of SERVICE_STATUSES) expect(canApply('terminate', s)).toBe(s !== 'terminated');
  });

  it('suspend only from active or past_due, unsuspend only from suspended', () => {
    const table: [ServiceActionName, string[]][] = [
      ['suspend', ['active', 'past_due']],
      ['unsuspend', ['suspended']],
      ['activate', ['pending']],
      ['mark_past_due', ['active']],
      ['dunning_suspend', ['past_due']],
    ];
    for (const [action, from] of table) {
      expect(SERVICE_STATUSES.filter((s) => canApply(action, s))).toEqual(from);
    }
  });

  it('lists the manual actions allowed from a status', () => {
    expect(allowedActions('active')).toEqual(['suspend', 'terminate']);
    expect(allowedActions('suspended')).toEqual(['unsuspend', 'terminate']);
    expect(allowedActions('terminated')).toEqual([]);
  });
});
