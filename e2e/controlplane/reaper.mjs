// The reaper: a tiny detached watchdog started with a test or demo control plane. When the process
// that owns the control plane is gone (finished, Ctrl-C, or killed with SIGKILL) it stops every
// process listed in <dir>/state.json and removes the directory, so an interrupted run leaves
// nothing behind. It exits on its own once the owner has removed the directory (an orderly stop).
// Usage: node reaper.mjs <ownerPid> <dir>
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const [ownerArg, dir] = process.argv.slice(2);
const owner = Number(ownerArg);

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const signal = (pid, sig) => {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
};

function recordedPids() {
  try {
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    return state.processes.map((p) => p.pid).reverse();
  } catch {
    return [];
  }
}

function reap() {
  const pids = recordedPids();
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  const wait = () => {
    const left = pids.filter(alive);
    if (left.length > 0 && Date.now() < deadline) {
      setTimeout(wait, 100);
      return;
    }
    for (const pid of left) signal(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  wait();
}

const timer = setInterval(() => {
  if (!existsSync(dir)) process.exit(0);
  if (!alive(owner)) {
    clearInterval(timer);
    reap();
  }
}, 500);
