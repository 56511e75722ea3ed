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

// Newest first (controller manager, apiserver, then etcd), so the apiserver never waits on a
// stopped etcd; each gets a few seconds after SIGTERM before SIGKILL.
function reap(pids) {
  const [pid, ...rest] = pids;
  if (pid === undefined) {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  const wait = () => {
    if (alive(pid) && Date.now() < deadline) {
      setTimeout(wait, 50);
      return;
    }
    signal(pid, 'SIGKILL');
    reap(rest);
  };
  wait();
}

const timer = setInterval(() => {
  if (!existsSync(dir)) process.exit(0);
  if (!alive(owner)) {
    clearInterval(timer);
    reap(recordedPids());
  }
}, 500);
