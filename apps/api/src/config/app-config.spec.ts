import { ConfigError, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('should default to SQLite in data/ with the demo fleet on port 3000', () => {
    const config = loadConfig({}, '/srv/fleet', '/srv/fleet/dist/apps/api');
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'sqlite', path: '/srv/fleet/data/fleet.sqlite' });
    expect(config.demo).toBe(true);
    expect(config.webDir).toBe('/srv/fleet/dist/apps/web');
    expect(config.assetPrefix).toBe('POS');
  });

  it('should use PostgreSQL with DATABASE_URL and keep the demo off unless asked', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/fleet' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@127.0.0.1:5432/fleet', schema: 'public' });
    expect(config.demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/fleet', DEMO: 'on' }).demo).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DEMO', 'maybe'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['REDIS_URL', 'not a url'],
    ['ASSET_PREFIX', 'pos'],
    ['ADMIN_PASSWORD', 'short'],
    ['LOG_LEVEL', 'chatty'],
    ['DATABASE_SCHEMA', 'Robert"; DROP'],
    ['SMTP_URL', 'http://mail.bank.example'],
    ['SMTP_FROM', 'no address'],
    ['NOTIFY_DISPATCH_SECONDS', '0'],
    ['NOTIFY_MAX_ATTEMPTS', '100'],
    ['NOTIFY_BACKOFF_SECONDS', '-1'],
  ])('should stop on %s=%p naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('should turn email on with SMTP_URL, and retry notifications on the documented schedule by default', () => {
    expect(loadConfig({}).notifications).toEqual({ smtpUrl: null, smtpFrom: 'Fleet <fleet@localhost>', dispatchSeconds: 5, maxAttempts: 8, backoffSeconds: 30 });
    expect(loadConfig({ SMTP_URL: 'smtp://fleet:pw@mail.bank.example:587' }).notifications.smtpUrl).toBe('smtp://fleet:pw@mail.bank.example:587');
    expect(() => loadConfig({ SMTP_URL: 'http://fleet:secret@mail.bank.example' })).toThrow(/fleet:\*\*\*@/);
  });

  it('should not echo a password given inside a URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:secret@host/db' })).toThrow(/user:\*\*\*@/);
  });
});
