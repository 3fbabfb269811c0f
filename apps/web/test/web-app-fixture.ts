/**
 * The one set-up every web app suite shares: `useWebApp()` registers the hooks that build the app, serve it
 * from a real server on port 0, open each person in their own Chromium, check after every test that no
 * page logged a console error, and close everything at the end. A suite calls it first in its `describe`,
 * so its own `beforeAll` runs after the app is up.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ServerOptions } from '@switchboard/server';
import {
  buildWebApp,
  expectNoConsoleErrors,
  openPerson,
  startWebApp,
  type Person,
  type PersonOptions,
  type WebApp,
} from './web-harness.js';

/** Options of `useWebApp`. */
export interface WebAppFixtureOptions extends Partial<ServerOptions> {
  /** Put a TCP proxy the test can cut between the browsers and the server. @default false */
  readonly viaProxy?: boolean;
  /** Console errors a suite causes on purpose (e.g. refused WebSocket handshakes). @default [] */
  readonly allowedConsoleErrors?: readonly RegExp[];
}

/** A suite's running app and the people it opened. */
export interface WebAppFixture {
  /** The running app (available from the suite's own `beforeAll` on). */
  readonly app: WebApp;
  /** Open a new person's browser at `path` on the app (e.g. `/r/standup`). */
  open(path: string, options?: PersonOptions): Promise<Person>;
}

/**
 * Register the shared hooks of a web app suite and return its fixture. Pass `options` as a function when
 * they depend on something an earlier `beforeAll` starts (a coturn whose address the server hands out).
 */
export function useWebApp(options: WebAppFixtureOptions | (() => WebAppFixtureOptions) = {}): WebAppFixture {
  let allowedConsoleErrors: readonly RegExp[] = [];
  let app: WebApp | undefined;
  const people: Person[] = [];

  beforeAll(async () => {
    const { allowedConsoleErrors: allowed = [], ...appOptions } =
      typeof options === 'function' ? options() : options;
    allowedConsoleErrors = allowed;
    buildWebApp();
    app = await startWebApp(appOptions);
  });

  afterEach(() => {
    for (const person of people) expectNoConsoleErrors(person, allowedConsoleErrors);
  });

  afterAll(async () => {
    await Promise.all(people.map((person) => person.close()));
    await app?.close();
  });

  const fixture: WebAppFixture = {
    get app(): WebApp {
      if (app === undefined) throw new Error('useWebApp: the app starts in beforeAll');
      return app;
    },
    async open(path, personOptions) {
      const person = await openPerson(`${fixture.app.origin}${path}`, personOptions);
      people.push(person);
      return person;
    },
  };
  return fixture;
}
