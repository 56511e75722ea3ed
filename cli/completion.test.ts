import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import { completionScript, flagsOf } from './completion.js';
import { COMMANDS } from './main.js';

/** Runs bash completion for `line` (words of the command line) and returns the candidates. */
function complete(line: readonly string[]): string[] {
  const script = completionScript('bash', COMMANDS);
  const words = line.map((w) => `'${w}'`).join(' ');
  const program = `${script}
COMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}
_oos
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', program], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('oos completion', () => {
  it('completes the commands, for oos and for kubectl oos', () => {
    expect(complete(['oos', ''])).toEqual(expect.arrayContaining(Object.keys(COMMANDS)));
    expect(complete(['oos', 'su'])).toEqual(['suspend']);
    expect(complete(['kubectl', 'oos', 'wh'])).toEqual(['who']);
  });

  it("completes each command's options from its option table, and its kinds", () => {
    expect(complete(['oos', 'who', '--u'])).toEqual(['--user']);
    expect(complete(['oos', 'who', 'dep'])).toEqual(['deployment/']);
    expect(complete(['oos', 'approve', '--d'])).toEqual(['--digest']);
    expect(complete(['oos', 'ack', 'esc'])).toEqual(['escalation/']);
    expect(complete(['kubectl', 'oos', 'resume', 'cap'])).toEqual(['capability/']);
    expect(complete(['oos', 'completion', 'z'])).toEqual(['zsh']);
  });

  it('lists every flag of every command', () => {
    const script = completionScript('zsh', COMMANDS);
    for (const command of Object.values(COMMANDS)) {
      for (const flag of flagsOf(command)) expect(script).toContain(flag);
    }
    expect(script).toMatch(/^#compdef oos kubectl-oos/);
  });

  it('refuses another shell', () => {
    expect(() => completionScript('fish', COMMANDS)).toThrow(CliError);
  });
});
