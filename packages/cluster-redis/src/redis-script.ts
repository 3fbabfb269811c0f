/**
 * A Lua script run by SHA (EVALSHA), falling back to EVAL when Redis does not know it yet. A restarted
 * Redis has an empty script cache, so the fallback is what lets the bus recover with no process restart.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** One Lua script. Every script of the bus takes no KEYS, only ARGV, and builds its keys from a prefix. */
export class RedisScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  /** Run the script with `args` as ARGV. */
  async run(redis: Redis, args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.#sha, 0, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT'))
        return redis.eval(this.#source, 0, ...args);
      throw error;
    }
  }
}
