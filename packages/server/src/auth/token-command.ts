/**
 * `switchboard token`: mints a development token with the same secret the server verifies with.
 *
 * The secret comes from `--secret` or, like `switchboard serve`, from `SWITCHBOARD_JWT_SECRET`, so a
 * developer can run `SWITCHBOARD_JWT_SECRET=… switchboard token --sub alice --room r` next to the server.
 */
import { parseArgs } from 'node:util';
import { MIN_SECRET_BYTES } from './jwt-authenticator.js';
import { mintToken } from './mint-token.js';

/** The environment variable that holds the HS256 secret, shared with `switchboard serve --jwt-secret`. */
export const JWT_SECRET_ENV = 'SWITCHBOARD_JWT_SECRET';

/** Where the command writes; the CLI passes the process streams, tests pass collectors. */
export interface TokenCommandOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `Usage: switchboard token --sub <identity> [options]

Mints an HS256 token for Switchboard (development and scripts).

Options:
  --sub <identity>     the identity (JWT sub); required
  --room <name>        a room the token may join; repeat for several (default: any room)
  --ttl <duration>     lifetime such as 30m, 1h, 2d (default: 1h)
  --secret <secret>    the shared secret (default: $${JWT_SECRET_ENV})
  --no-join            signal-only token: may join no room
  --max-peers <n>      join only rooms holding fewer than n peers
  --issuer <iss>       iss claim
  --audience <aud>     aud claim
  -h, --help           show this help
`;

/**
 * Run `switchboard token` with the arguments after `token`.
 *
 * @returns the process exit code: 0 on success, 2 on a usage mistake
 */
export async function runTokenCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  output: TokenCommandOutput = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  },
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        sub: { type: 'string' },
        room: { type: 'string', multiple: true },
        ttl: { type: 'string', default: '1h' },
        secret: { type: 'string' },
        'no-join': { type: 'boolean', default: false },
        'max-peers': { type: 'string' },
        issuer: { type: 'string' },
        audience: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    output.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    output.stdout(USAGE);
    return 0;
  }
  const secret = values.secret ?? env[JWT_SECRET_ENV];
  if (values.sub === undefined || values.sub === '') return usageError(output, '--sub is required.');
  if (secret === undefined || secret === '') {
    return usageError(output, `a secret is required: pass --secret or set ${JWT_SECRET_ENV}.`);
  }
  let maxPeers: number | undefined;
  if (values['max-peers'] !== undefined) {
    maxPeers = Number(values['max-peers']);
    if (!Number.isSafeInteger(maxPeers) || maxPeers <= 0)
      return usageError(output, '--max-peers must be a positive integer.');
  }
  const rooms = values.room === undefined || values.room.includes('*') ? '*' : values.room;
  try {
    const token = await mintToken({
      sub: values.sub,
      rooms,
      ttl: values.ttl,
      secret,
      ...(values['no-join'] ? { join: false } : {}),
      ...(maxPeers === undefined ? {} : { maxPeers }),
      ...(values.issuer === undefined ? {} : { issuer: values.issuer }),
      ...(values.audience === undefined ? {} : { audience: values.audience }),
    });
    if (new TextEncoder().encode(secret).byteLength < MIN_SECRET_BYTES) {
      output.stderr(
        `warning: the secret is shorter than ${MIN_SECRET_BYTES} bytes; switchboard serve refuses such secrets.\n`,
      );
    }
    output.stdout(`${token}\n`);
    return 0;
  } catch (error) {
    return usageError(output, error instanceof Error ? error.message : String(error));
  }
}

function usageError(output: TokenCommandOutput, sentence: string): number {
  output.stderr(`switchboard token: ${sentence}\n`);
  return 2;
}
