import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { NODE_NETWORK } from './addresses.js';

/** The mount points of every cgroup hierarchy (v1 controllers, named ones, and v2 if mounted). */
export function cgroupHierarchies(
  mountinfo = readFileSync('/proc/self/mountinfo', 'utf8'),
): string[] {
  const points = new Set<string>();
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    const fstype = after?.split(' ')[0];
    const mountPoint = before?.split(' ')[4];
    if (mountPoint && (fstype === 'cgroup' || fstype === 'cgroup2')) points.add(mountPoint);
  }
  return [...points].sort();
}

const nodeCgroup = (hierarchy: string): string => join(hierarchy, NODE_NETWORK.cgroupRoot);

/**
 * Creates the cgroup every Pod of the node runs under (the kubelet's cgroupRoot) in every
 * hierarchy; cpuset's needs its CPUs and memory nodes before a process may join.
 */
export function createNodeCgroups(): void {
  for (const hierarchy of cgroupHierarchies()) {
    const dir = nodeCgroup(hierarchy);
    mkdirSync(dir, { recursive: true });
    for (const file of ['cpuset.cpus', 'cpuset.mems']) {
      const parent = join(hierarchy, file);
      if (existsSync(parent) && readFileSync(join(dir, file), 'utf8').trim() === '') {
        writeFileSync(join(dir, file), readFileSync(parent, 'utf8'));
      }
    }
  }
}

function subtree(dir: string): string[] {
  const children = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => subtree(join(dir, e.name)));
  return [...children, dir];
}

/** Every pid in the node's cgroups, in any hierarchy. */
export function nodeCgroupPids(): number[] {
  const pids = new Set<number>();
  for (const hierarchy of cgroupHierarchies()) {
    const root = nodeCgroup(hierarchy);
    if (!existsSync(root)) continue;
    for (const dir of subtree(root)) {
      const procs = join(dir, 'cgroup.procs');
      if (!existsSync(procs)) continue;
      for (const pid of readFileSync(procs, 'utf8').split('\n')) if (pid) pids.add(Number(pid));
    }
  }
  return [...pids];
}

/** Removes the node's cgroups, deepest first; returns the ones that could not be removed. */
export function removeNodeCgroups(): string[] {
  const left: string[] = [];
  for (const hierarchy of cgroupHierarchies()) {
    const root = nodeCgroup(hierarchy);
    if (!existsSync(root)) continue;
    for (const dir of subtree(root)) {
      try {
        rmdirSync(dir);
      } catch {
        left.push(dir);
      }
    }
  }
  return left;
}

/** The node's cgroups that exist (for checks). */
export function existingNodeCgroups(): string[] {
  return cgroupHierarchies()
    .map(nodeCgroup)
    .filter((dir) => existsSync(dir));
}
