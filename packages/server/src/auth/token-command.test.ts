import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { JwtAuthenticator } from './jwt-authenticator.js';
import { runTokenCommand } from './token-command.js';

const SECRET = 'token-command-test-secret-of-32-bytes!';
const ALICE_R_1H = '--sub alice --room r --ttl 1h'.split(' ');

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTokenCommand(argv, env, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('switchboard token', () => {
  it('mints a token the server accepts, with the given identity, room and lifetime', async () => {
    const { code, stdout, stderr } = await run([...ALICE_R_1H, '--secret', SECRET]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const token = stdout.trim();
    const claims = decodeJwt(token);
    expect(claims.sub).toBe('alice');
    expect(claims.rooms).toEqual(['r']);
    expect(claims.exp! - claims.iat!).toBe(3600);
    const result = await new JwtAuthenticator({ secret: SECRET }).authenticate({
      token,
      remoteAddress: '::1',
      origin: undefined,
    });
    expect(result.ok && result.principal.identity).toBe('alice');
  });

  it('reads the secret from SWITCHBOARD_JWT_SECRET, like the server', async () => {
    const { code, stdout } = await run(['--sub', 'bob', '--room', 'a', '--room', 'b', '--ttl', '30m'], {
      SWITCHBOARD_JWT_SECRET: SECRET,
    });
    expect(code).toBe(0);
    const claims = decodeJwt(stdout.trim());
    expect(claims.rooms).toEqual(['a', 'b']);
    expect(claims.exp! - claims.iat!).toBe(1800);
    const result = await new JwtAuthenticator({ secret: SECRET }).authenticate({
      token: stdout.trim(),
      remoteAddress: '::1',
      origin: undefined,
    });
    expect(result.ok).toBe(true);
  });

  it('grants any room without --room, and no room with --no-join', async () => {
    expect(decodeJwt((await run(['--sub', 'c', '--secret', SECRET])).stdout.trim()).rooms).toBe('*');
    const signalOnly = decodeJwt((await run(['--sub', 'c', '--no-join', '--secret', SECRET])).stdout.trim());
    expect(signalOnly.join).toBe(false);
  });

  it('still mints with a short development secret, but warns that the server refuses it', async () => {
    const { code, stdout, stderr } = await run([...ALICE_R_1H, '--secret', 'S']);
    expect(code).toBe(0);
    expect(stdout.split('.')).toHaveLength(3);
    expect(stderr).toMatch(/shorter than 32 bytes/);
  });

  it('exits 2 with one sentence for each usage mistake', async () => {
    expect(await run(['--room', 'r', '--secret', SECRET])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--sub is required/),
    });
    expect(await run(['--sub', 'a'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/SWITCHBOARD_JWT_SECRET/),
    });
    expect(await run(['--sub', 'a', '--secret', SECRET, '--ttl', '1y'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/not a duration/),
    });
    expect(await run(['--sub', 'a', '--secret', SECRET, '--bogus'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/bogus/),
    });
    expect(await run(['--sub', 'a', '--secret', SECRET, '--max-peers', '0'])).toMatchObject({ code: 2 });
  });

  it('prints its usage with --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--sub <identity>/);
  });
});
