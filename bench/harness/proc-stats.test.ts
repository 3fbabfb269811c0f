import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseProcStat, parseVmRssBytes, processTree, readTreeCpuMicros } from './proc-stats.js';

describe('parseProcStat', () => {
  it('reads ppid, utime and stime counting from the last parenthesis', () => {
    const line = '4242 (node (x) y) S 17 4242 17 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 11 0 999 1 2 3';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 17, utimeTicks: 1234, stimeTicks: 567 });
  });

  it('parses this process’s own stat file', () => {
    const stat = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
    expect(stat.ppid).toBeGreaterThan(0);
    expect(stat.utimeTicks).toBeGreaterThanOrEqual(0);
  });

  it('rejects text that is not a stat line', () => {
    expect(() => parseProcStat('garbage')).toThrow();
  });
});

describe('parseVmRssBytes', () => {
  it('converts the kB figure to bytes', () => {
    expect(parseVmRssBytes('Name:\tnode\nVmRSS:\t   51200 kB\nThreads:\t11\n')).toBe(51200 * 1024);
  });

  it('is 0 when there is no VmRSS line', () => {
    expect(parseVmRssBytes('Name:\tzombie\n')).toBe(0);
  });
});

describe('processTree', () => {
  it('contains the root process itself', () => {
    expect(processTree(process.pid)).toContain(process.pid);
    expect(readTreeCpuMicros([process.pid])).toBeGreaterThan(0);
  });
});
