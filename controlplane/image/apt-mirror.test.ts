import { describe, expect, it } from 'vitest';
import { debianMirror } from './apt-mirror.js';

describe('debianMirror', () => {
  it('reads the URI of a deb822 stanza that serves the suite, skipping deb-src and other suites', () => {
    const sources = [
      {
        name: '/etc/apt/sources.list.d/debian.sources',
        text: [
          'Types: deb-src',
          'URIs: http://src.example/debian',
          'Suites: bookworm',
          '',
          'Types: deb',
          'URIs: http://sec.example/debian-security',
          'Suites: bookworm-security',
          '',
          'Types: deb',
          '# a comment',
          'URIs: http://mirror.example/debian',
          'Suites: bookworm bookworm-updates',
          'Components: main',
        ].join('\n'),
      },
    ];
    expect(debianMirror('bookworm', sources)).toBe('http://mirror.example/debian');
  });

  it('reads one-line entries with options and comments', () => {
    const sources = [
      {
        name: '/etc/apt/sources.list',
        text: [
          '# deb http://old.example/debian bookworm main',
          'deb-src http://src.example/debian bookworm main',
          'deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main',
        ].join('\n'),
      },
    ];
    expect(debianMirror('bookworm', sources)).toBe('http://mirror.example/debian');
  });

  it('takes the first file that serves the suite, and says nothing when none does', () => {
    const other = { name: 'a.list', text: 'deb http://a.example/debian trixie main' };
    const match = { name: 'b.list', text: 'deb http://b.example/debian bookworm main' };
    expect(debianMirror('bookworm', [other, match])).toBe('http://b.example/debian');
    expect(debianMirror('bookworm', [other])).toBeUndefined();
    expect(debianMirror('bookworm', [])).toBeUndefined();
  });
});
