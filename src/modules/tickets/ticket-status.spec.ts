import { CLOSABLE_FROM, replyableFrom, statusAfterMessage } from './ticket-status';

describe('ticket status rules', () => {
  it('waits for whoever did not speak last', () => {
    expect(statusAfterMessage('staff')).toBe('answered');
    expect(statusAfterMessage('customer')).toBe('open');
  });

  it('lets the customer reply to a closed ticket (reopening it), but not staff', () => {
    expect(replyableFrom('customer')).toEqual(['open', 'answered', 'closed']);
    expect(replyableFrom('staff')).toEqual(['open', 'answered']);
  });

  it('closes only a ticket that is not closed yet', () => {
    expect(CLOSABLE_FROM).toEqual(['open', 'answered']);
  });
});
