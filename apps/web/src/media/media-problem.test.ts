import { describe, expect, it } from 'vitest';
import { describeMediaError, describePartialMedia } from './media-problem.js';

describe('describeMediaError', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'missing'],
    ['OverconstrainedError', 'missing'],
    ['NotReadableError', 'busy'],
    ['AbortError', 'busy'],
    ['TypeError', 'failed'],
  ] as const)('reads a %s as %s, and says chat and files still work', (name, kind) => {
    const problem = describeMediaError(new DOMException('browser text', name));
    expect(problem.kind).toBe(kind);
    expect(problem.message).toContain('You can still chat and share files.');
  });
});

describe('describePartialMedia', () => {
  it('has nothing to say when both kinds exist', () => {
    expect(describePartialMedia(true, true)).toBeNull();
  });

  it('says which kind is missing', () => {
    expect(describePartialMedia(true, false)?.message).toBe('No camera was found: calls will be audio only.');
    expect(describePartialMedia(false, true)?.message).toBe(
      'No microphone was found: others will see but not hear you.',
    );
    expect(describePartialMedia(false, false)?.kind).toBe('missing');
  });
});
