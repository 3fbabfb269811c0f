/**
 * `switchboard <command>`: `serve` runs the broker; `token` mints a development token.
 *
 * `serve` reads the option table (config/serve-options.ts), validates everything before it listens (one
 * exact sentence per mistake, exit code 2), and drains gracefully on SIGTERM or SIGINT: clients are told
 * to go, in-flight work finishes, and the process exits 0.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SwitchboardError } from '@switchboard/protocol';
import { pino, type Logger } from 'pino';
import { runTokenCommand } from './auth/token-command.js';
import { composeSecurityOptions } from './auth/compose-security-options.js';
import type { ClusterBus } from './bus/cluster-bus.js';
import { optionLabel, optionOfKey, type CliValue } from './config/cli-option.js';
import { parseCli } from './config/parse-cli.js';
import { SERVE_OPTIONS } from './config/serve-options.js';
import { serveHelp } from './config/serve-help.js';
import { resolveServerOptions, type ServerOptions } from './config/server-options.js';
import { createServer, type SwitchboardServer } from './create-server.js';
import { composeIceOptions } from './ice/compose-ice-options.js';

/** Where the CLI writes; tests pass collectors. */
export interface CliOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `Usage: switchboard <command> [options]

Commands:
  serve   run the signaling broker and the web app (switchboard serve --help)
  token   mint a development token (switchboard token --help)
`;

const processOutput: CliOutput = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** Run the CLI; resolves with the exit code (for `serve`, once the server has drained). */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
  output: CliOutput = processOutput,
): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest, env, output);
    case 'token':
      return runTokenCommand(rest, env, output);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      output.stdout(USAGE);
      return 0;
    default:
      output.stderr(`Unknown command ${JSON.stringify(command)}.\n\n${USAGE}`);
      return 2;
  }
}

/** Turn parsed CLI values into server options. Options that are not plain fields are composed here. */
export function composeServerOptions(values: ReadonlyMap<string, CliValue>): Partial<ServerOptions> {
  const options: Record<string, unknown> = {};
  for (const option of SERVE_OPTIONS) {
    const value = values.get(option.flag);
    if (option.key !== undefined && value !== undefined) options[option.key] = value;
  }
  const list = (flag: string): readonly string[] | undefined =>
    values.get(flag) as readonly string[] | undefined;
  Object.assign(
    options,
    composeIceOptions({
      stun: values.get('stun') as boolean | undefined,
      stunPort: values.get('stun-port') as number | undefined,
      stunHost: values.get('stun-host') as string | undefined,
      stunPublicUrl: values.get('stun-public-url') as string | undefined,
      iceServerUrls: list('ice-server'),
      turnUrls: list('turn-url'),
      turnSecrets: list('turn-secret'),
      turnTtlS: values.get('turn-ttl-s') as number | undefined,
    }),
  );
  Object.assign(
    options,
    composeSecurityOptions({
      jwtSecret: values.get('jwt-secret') as string | undefined,
      jwtPublicKeyPath: values.get('jwt-public-key') as string | undefined,
      jwksUrl: values.get('jwks-url') as string | undefined,
      requireAuth: values.get('require-auth') as boolean | undefined,
      tlsCertPath: values.get('tls-cert') as string | undefined,
      tlsKeyPath: values.get('tls-key') as string | undefined,
      trustProxy: values.get('trust-proxy') as boolean | undefined,
      trustProxyHops: values.get('trust-proxy-hops') as number | undefined,
      origins: list('origin'),
      typeRates: list('type-rate'),
    }),
  );
  options['staticDir'] ??= defaultStaticDir();
  return options;
}

/** The web app build of this repository, when it has been built. */
function defaultStaticDir(): string | undefined {
  const dir = fileURLToPath(new URL('../../../apps/web/dist/', import.meta.url));
  return existsSync(`${dir}index.html`) ? dir : undefined;
}

/**
 * `--redis URL`: a `RedisClusterBus`, loaded on demand by a computed specifier, so the server package
 * never depends on @switchboard/cluster-redis (dependencies point down) and runs without it installed.
 */
async function clusterBusOption(
  values: ReadonlyMap<string, CliValue>,
  env: NodeJS.ProcessEnv,
): Promise<Partial<ServerOptions>> {
  // SWITCHBOARD_REDIS follows the option table's naming; SWITCHBOARD_REDIS_URL is the documented alias.
  const url = values.get('redis') ?? (env['SWITCHBOARD_REDIS_URL'] || undefined);
  if (typeof url !== 'string') return {};
  const specifier = '@switchboard/cluster-redis';
  const { RedisClusterBus } = (await import(specifier)) as {
    RedisClusterBus: new (options: { url: string; logger: Logger }) => ClusterBus;
  };
  const level = values.get('log-level');
  const logger = pino({ level: typeof level === 'string' ? level : 'info' }).child({
    component: 'cluster-redis',
  });
  return { bus: new RedisClusterBus({ url, logger }) };
}

async function serve(argv: readonly string[], env: NodeJS.ProcessEnv, output: CliOutput): Promise<number> {
  let server: SwitchboardServer;
  try {
    const parsed = parseCli(SERVE_OPTIONS, argv, env);
    if (parsed.isHelp) {
      output.stdout(serveHelp(SERVE_OPTIONS));
      return 0;
    }
    const options = composeServerOptions(parsed.values);
    // Validate with the CLI's names first, so a mistake names the flag and variable the operator typed.
    resolveServerOptions(options, (key) => {
      const row = optionOfKey(SERVE_OPTIONS, key);
      return row === undefined ? `\`${key}\`` : optionLabel(row.flag);
    });
    server = createServer({ ...options, ...(await clusterBusOption(parsed.values, env)) });
  } catch (error) {
    if (error instanceof SwitchboardError || error instanceof Error) {
      output.stderr(`switchboard: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  try {
    await server.listen();
  } catch (error) {
    output.stderr(
      `switchboard: could not listen: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await server.close();
    return 1;
  }
  return new Promise((resolve) => {
    let isStopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (isStopping) return;
      isStopping = true;
      server.logger.info({ signal }, 'signal received; draining');
      server.drain().then(
        () => resolve(0),
        (error: unknown) => {
          server.logger.error({ err: error }, 'drain failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

// Run when executed directly (the bin launcher runs this file through tsx when there is no build).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main().then((code) => process.exit(code));
}
