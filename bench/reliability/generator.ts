import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadConfig, LoadRecord } from './load-types.js';

const LOAD = join(import.meta.dirname, 'load.ts');

export interface RunningLoad {
  /** Stops sending (SIGTERM), waits for the answers still due, and returns every record. */
  stop(): Promise<LoadRecord[]>;
  /** Resolves with the records when the generator ends by itself (count or time reached). */
  readonly finished: Promise<LoadRecord[]>;
  /** Resolves when the first request is about to be sent (the process takes seconds to start). */
  readonly started: Promise<void>;
}

/**
 * Starts the load generator (`load.ts`) in a process of its own, so the scenario's own work
 * (restarts, kills, polling) never delays a request. Its records come back when it ends.
 */
export function startLoad(config: Omit<LoadConfig, 'recordsFile'>): RunningLoad {
  const dir = mkdtempSync(join(tmpdir(), 'oos-load-'));
  const recordsFile = join(dir, 'records.jsonl');
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ ...config, recordsFile }));
  const child = spawn(process.execPath, ['--import', 'tsx', LOAD, configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('started')) resolve();
    });
    child.once('exit', () => {
      reject(new Error(`the load generator ended before it started: ${stderr.slice(-2000)}`));
    });
  });
  started.catch(() => undefined);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<LoadRecord[]>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      try {
        if (code !== 0) {
          throw new Error(
            `the load generator exited ${String(code ?? signal)}: ${stderr.slice(-2000)}`,
          );
        }
        const text = readFileSync(recordsFile, 'utf8');
        resolve(
          text
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as LoadRecord),
        );
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
  return {
    started,
    finished,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return finished;
    },
  };
}
