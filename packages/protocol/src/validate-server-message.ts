/** Strict schema validation of server frames, for tests and conformance checks (not the SDK hot path). */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { SERVER_MESSAGE_SCHEMAS } from './schemas.js';

let checks: Map<string, TypeCheck<TSchema>> | undefined;

/** Returns `undefined` when `value` is a valid server message, else a sentence saying what is wrong. */
export function validateServerMessage(value: unknown): string | undefined {
  checks ??= new Map(
    Object.entries(SERVER_MESSAGE_SCHEMAS).map(([t, s]) => [t, TypeCompiler.Compile(s as TSchema)]),
  );
  const type = (value as { type?: unknown } | null)?.type;
  const check = typeof type === 'string' ? checks.get(type) : undefined;
  if (check === undefined) return `unknown server message type ${String(type)}`;
  if (check.Check(value)) return undefined;
  const first = check.Errors(value).First();
  return `${String(type)}: ${first?.path ?? ''} ${first?.message ?? 'invalid'}`;
}
