import { webhookUrlProblem } from './webhook-url';

describe('webhookUrlProblem', () => {
  it.each([
    ['https://hooks.bank.example/fleet'],
    ['http://10.20.0.5:8080/alerts?source=fleet'],
    ['http://127.0.0.1:9000/'],
    ['http://[::1]:8080/x'],
    ['HTTPS://Hooks.Bank.Example/x'],
    [`https://h.example/${'a'.repeat(2000 - 'https://h.example/'.length)}`],
  ])('should accept %s', (url) => {
    expect(webhookUrlProblem(url)).toBeNull();
  });

  it.each([
    ['ftp://files.bank.example/x', 'url must use http or https'],
    ['javascript:alert(1)', 'url must use http or https'],
    ['file:///etc/passwd', 'url must use http or https'],
    ['http://user:pw@hooks.bank.example/', 'url must not contain a username or password'],
    ['http://user@hooks.bank.example/', 'url must not contain a username or password'],
    ['http://', 'url must be an absolute http or https URL'],
    ['http:///hooks', 'url must name a host'],
    ['http:hooks.bank.example', 'url must name a host'],
    ['/relative/path', 'url must be an absolute http or https URL'],
    ['', 'url must be an absolute http or https URL'],
    ['http://hooks.bank.example/a b', 'url must not contain spaces or control characters'],
    ['http://hooks.bank.\nexample/', 'url must not contain spaces or control characters'],
    [`https://h.example/${'a'.repeat(2001 - 'https://h.example/'.length)}`, 'url must be at most 2000 characters'],
  ])('should refuse %j: %s', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });
});
