import { TemplateDataError } from './rendered-mail';
import { excerpt, renderTicketMail } from './ticket.template';

describe('ticket mail', () => {
  it('renders subject, an excerpt of the body and the link', () => {
    const mail = renderTicketMail({ subject: 'Server down', body: 'It is  down\nsince noon.', url: 'https://portal.example.com/tickets/tkt_1', ticket_id: 'tkt_1', event: 'replied' });
    expect(mail.subject).toBe('New reply on tkt_1: Server down');
    expect(mail.text).toContain('It is down since noon.');
    expect(mail.html).toContain('href="https://portal.example.com/tickets/tkt_1"');
  });

  it('cuts long bodies on a word boundary', () => {
    const long = 'word '.repeat(200);
    const cut = excerpt(long, 50);
    expect(cut.length).toBeLessThanOrEqual(51);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toContain('wor…');
  });

  it('escapes the body and refuses a missing url', () => {
    expect(renderTicketMail({ subject: 's', body: '<script>x</script>', url: 'https://a.example/t' }).html).not.toContain('<script>');
    expect(() => renderTicketMail({ subject: 's', body: 'b', url: 'ftp://x' })).toThrow(TemplateDataError);
  });
});
