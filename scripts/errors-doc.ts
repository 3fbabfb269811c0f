/**
 * Writes docs/errors.md from ERROR_CODES (`npx tsx --conditions=source scripts/errors-doc.ts`).
 * The drift test (packages/protocol/src/error-codes.test.ts) fails when the doc and the code disagree.
 */
import { writeFileSync } from 'node:fs';
import { ERROR_CODES } from '@switchboard/protocol';

const rows = Object.entries(ERROR_CODES).map(
  ([code, { where, description }]) => `| \`${code}\` | ${where} | ${description} |`,
);
const text = `# Error codes

Every error in Switchboard carries one of these stable codes. Server codes travel on the wire as
\`{ "type": "error", "code", "message", "ref" }\` (see PROTOCOL.md); client codes are raised by the SDK as
\`SwitchboardError\` with the same \`code\` property, so an app handles both alike. A code never changes
meaning once released; new codes are added at the end of their group.

This table is checked against \`packages/protocol/src/error-codes.ts\` by a test.

| code | raised by | meaning |
|---|---|---|
${rows.join('\n')}

## WebSocket close codes

When the server closes a socket itself, the close code is one of \`CLOSE_CODES\` (4000–4999 are
application codes, RFC 6455 §7.4.2) and the close reason is the error code above, e.g. \`4029 SLOW_CONSUMER\`.
`;
writeFileSync(new URL('../docs/errors.md', import.meta.url), text);
