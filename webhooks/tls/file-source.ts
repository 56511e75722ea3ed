import { readFileSync, statSync } from 'node:fs';
import type { TlsSource } from '../app.js';

/**
 * Serving certificate from files (cert-manager, or any tool that mounts a Secret): re-read when
 * their modification time changes, checked every `pollMs`, so rotation needs no restart.
 */
export class FileTlsSource implements TlsSource {
  private pair: { key: string; cert: string };
  private stamp: string;
  private readonly listeners: (() => void)[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly certFile: string,
    private readonly keyFile: string,
    pollMs = 10_000,
  ) {
    this.pair = this.read();
    this.stamp = this.mtimes();
    this.timer = setInterval(() => {
      this.poll();
    }, pollMs);
    this.timer.unref();
  }

  current(): { key: string; cert: string } {
    return this.pair;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private read(): { key: string; cert: string } {
    return { cert: readFileSync(this.certFile, 'utf8'), key: readFileSync(this.keyFile, 'utf8') };
  }

  private mtimes(): string {
    return [this.certFile, this.keyFile].map((f) => statSync(f).mtimeMs).join(':');
  }

  private poll(): void {
    try {
      const stamp = this.mtimes();
      if (stamp === this.stamp) return;
      this.pair = this.read();
      this.stamp = stamp;
      for (const listener of this.listeners) listener();
    } catch {
      // A half-written pair (a Secret volume updates with a symlink swap): try again next tick.
    }
  }
}
