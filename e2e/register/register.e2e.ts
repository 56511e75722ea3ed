/**
 * The accountability register in a real browser: governance and workloads applied to the local
 * control plane, `oos register` started as a user starts it (the built CLI, the admin kubeconfig),
 * and the page opened in headless Chromium (Debian's package, driven by playwright-core).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { exemptionDigest } from '../../engine/exemption-digest.js';
import { ARTIFACTS_DIR, launchChromium } from '../support/browser.js';
import { installCrds, isoIn } from '../support/cluster.js';
import { kubectl, kubectlOk } from '../support/kubectl.js';

const NS = 'reg-e2e';
const DAY = 86_400_000;
/** A holder whose name is hostile markup: the page must show it as text and run nothing. */
const HOSTILE_NAME = 'Eve <img src=x onerror="window.pwned=1">';

const exemptionSpec = {
  capability: 'fraud-scoring',
  scope: { kinds: [{ group: 'batch', kind: 'Job' }], names: ['gpu-benchmark'] },
  justification: 'One-off latency benchmark on two GPUs.',
  expiresAt: isoIn(5 * DAY),
  requestedBy: 'reg-gina',
  approved: true,
  approvedBy: 'reg-erin',
};

const governance = `
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: reg-fraud-lead }
spec:
  title: Fraud Lead
  responsibilities: [Risk]
  holders:
    - { name: Erin Walsh, email: erin@example.com, user: reg-erin, attestedUntil: '${isoIn(200 * DAY)}' }
    - { name: '${HOSTILE_NAME}', email: eve@example.com, user: reg-eve, attestedUntil: '${isoIn(100 * DAY)}' }
---
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: reg-support-lead }
spec:
  title: Support Lead
  responsibilities: [Ethical]
  holders:
    - { name: Sam Ortiz, email: sam@example.com, user: reg-sam, attestedUntil: '${isoIn(300 * DAY)}' }
---
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: fraud-scoring, namespace: ${NS} }
spec:
  description: Scores card transactions for fraud.
  intendedUse: Holds suspicious transactions for an analyst.
  accountableRole: reg-fraud-lead
  autonomy: Supervised
  riskTier: High
---
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: support-drafts, namespace: ${NS} }
spec:
  description: Drafts answers to customer tickets.
  intendedUse: An agent edits and sends every answer.
  accountableRole: reg-support-lead
  autonomy: Advisory
  riskTier: Limited
  delegationRequired: false
---
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: ticket-router, namespace: ${NS} }
spec:
  description: Routes tickets to a team.
  intendedUse: A suggestion the dispatcher follows or not.
  accountableRole: reg-fraud-lead
  autonomy: Advisory
  riskTier: Minimal
  delegationRequired: false
---
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: fraud-scoring-scorer, namespace: ${NS} }
spec:
  capability: fraud-scoring
  serviceAccount: scorer
  validFrom: '${isoIn(-DAY)}'
  validUntil: '${isoIn(20 * DAY)}'
  justification: Production scoring.
  grantedBy: reg-erin
---
apiVersion: oos.dev/v1alpha1
kind: Exemption
metadata: { name: gpu-benchmark, namespace: ${NS} }
spec: ${JSON.stringify({ ...exemptionSpec, approvedDigest: exemptionDigest(exemptionSpec) })}
---
apiVersion: oos.dev/v1alpha1
kind: Escalation
metadata: { name: unanchored-rogue, namespace: ${NS} }
spec:
  trigger: UnanchoredWorkload
  severity: Critical
  subject: { apiVersion: apps/v1, kind: Deployment, namespace: ${NS}, name: rogue }
  summary: Deployment rogue runs AI without a capability.
`;

const deployment = (name: string, labels: string, serviceAccount: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${NS}${labels === '' ? '' : `, labels: { ${labels} }`} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name}${labels === '' ? '' : `, ${labels}`} } }
    spec:
      serviceAccountName: ${serviceAccount}
      containers: [{ name: main, image: 'vllm/vllm-openai:v0.6.3' }]
`;

const workloads = [
  deployment('scorer', 'oos.dev/capability: fraud-scoring', 'scorer'),
  deployment('rogue', '', 'default'),
].join('---');

interface Register {
  readonly url: string;
  readonly process: ChildProcess;
}

/** `oos register` as a user runs it; resolves with the URL it prints. */
function startRegister(args: readonly string[]): Promise<Register> {
  const child = spawn(
    process.execPath,
    ['bin/oos.js', 'register', '--kubeconfig', inject('kubeconfig'), '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /is at (http:\/\/\S+)/.exec(out)?.[1];
      if (url !== undefined) resolve({ url, process: child });
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      reject(new Error(`oos register exited ${String(code)}: ${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve(child.exitCode);
      return;
    }
    child.once('exit', (code) => {
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

/** Runs `oos` to completion. */
function oos(args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['bin/oos.js', ...args], { stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      resolve({ code, out, err });
    });
  });
}

/** What has the keyboard focus, as a person would name it. */
function focused(page: Page): Promise<string> {
  // A string, evaluated in the page: the tests are compiled without the DOM's types.
  return page.evaluate<string>(`(() => {
    const element = document.activeElement;
    if (element === null) return 'nothing';
    const id = element.id === '' ? '' : '#' + element.id;
    return element.tagName.toLowerCase() + id + ' ' + (element.textContent.trim().split(/\\s+/)[0] ?? '');
  })()`);
}

describe('oos register', () => {
  let register: Register;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: governance });
    await kubectlOk(['apply', '-f', '-'], { stdin: workloads });
    await kubectlOk([
      'patch',
      'escalation',
      'unanchored-rogue',
      '-n',
      NS,
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"level":2,"notifiedRoles":["reg-fraud-lead"]}}',
    ]);
    register = await startRegister([]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser.close();
    expect(await stop(register.process)).toBe(0);
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'accountablerole', 'reg-fraud-lead', 'reg-support-lead']);
  });

  it('refuses to listen beyond loopback', async () => {
    const refused = await oos(['register', '--host', '0.0.0.0']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('the register listens on loopback only');
  });

  it('shows every capability with its role, people, autonomy and risk tier', async () => {
    await page.goto(register.url);
    expect(await page.title()).toBe('Accountability register');
    const fraud = page.locator(`tr[id="capability/${NS}/fraud-scoring"]`);
    const text = (await fraud.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Fraud Lead');
    expect(text).toContain('Erin Walsh (reg-erin), attested until');
    expect(text).toContain('Supervised × High');
    expect(text).toContain('Admitted');
    const support = page.locator(`tr[id="capability/${NS}/support-drafts"]`);
    expect(await support.innerText()).toContain('Sam Ortiz (reg-sam)');
    // The hostile holder name is shown as text; nothing it holds runs.
    expect(await fraud.innerText()).toContain(HOSTILE_NAME);
    expect(await page.evaluate<unknown>('window.pwned')).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
  });

  it('shows delegations, escalations, exemptions and unanchored workloads', async () => {
    const section = async (id: string) =>
      (await page.locator(`section[aria-labelledby="${id}"]`).innerText()).replace(/\s+/g, ' ');
    expect(await section('delegations')).toMatch(/fraud-scoring-scorer .*scorer reg-erin Active/);
    expect(await section('delegations')).toMatch(/\(19 d 2\d h left\)|\(20 d left\)/);
    expect(await section('escalations')).toMatch(
      /unanchored-rogue .*UnanchoredWorkload Critical Deployment reg-e2e\/rogue 2 not acknowledged/,
    );
    expect(await section('exemptions')).toMatch(/gpu-benchmark .*fraud-scoring reg-gina reg-erin/);
    expect(await section('unanchored')).toContain('Deployment rogue');
    expect(await section('unanchored')).toContain('AnchorMissing');
  });

  it('draws the interaction graph once an agreed and a pending edge are declared', async () => {
    const interactions = (value: object) => JSON.stringify({ spec: { interactions: value } });
    const patch = (name: string, value: object) =>
      kubectlOk(['patch', 'capability', name, '-n', NS, '--type=merge', '-p', interactions(value)]);
    const justification = 'Needed for the e2e test.';
    // support-drafts -> fraud-scoring: declared by both sides. ticket-router -> fraud-scoring: by
    // the caller only, so it waits for reg-fraud-lead. support-drafts also reaches outside.
    await patch('support-drafts', {
      calls: [
        { namespace: NS, capability: 'fraud-scoring', ports: [{ port: 8080 }], justification },
      ],
      egress: [
        { name: 'translate', cidrs: ['203.0.113.0/24'], ports: [{ port: 443 }], justification },
      ],
    });
    await patch('fraud-scoring', {
      acceptsFrom: [{ namespace: NS, capability: 'support-drafts', justification }],
    });
    await patch('ticket-router', {
      calls: [
        { namespace: NS, capability: 'fraud-scoring', ports: [{ port: 8080 }], justification },
      ],
    });
    await page.goto(register.url);
    const graph = page.locator('section[aria-labelledby="interactions"] svg.graph');
    expect(await graph.getAttribute('role')).toBe('img');
    expect(await graph.getAttribute('aria-label')).toContain(
      '3 capabilities, 1 destination outside the cluster, 2 agreed edges, 1 pending, 0 forbidden',
    );
    const node = (key: string) => graph.locator(`g.node[data-key="${key}"]`);
    expect(await node(`${NS}/fraud-scoring`).getAttribute('data-risk-tier')).toBe('High');
    expect(await node(`${NS}/fraud-scoring`).textContent()).toContain('High risk · Supervised');
    expect(await node(`${NS}/support-drafts`).getAttribute('data-risk-tier')).toBe('Limited');
    expect(await node(`${NS}/ticket-router`).getAttribute('data-risk-tier')).toBe('Minimal');
    expect(await node('cidrs:203.0.113.0/24').textContent()).toContain('outside the cluster');
    expect(await graph.locator('g.node').count()).toBe(4);
    const edge = (from: string, to: string) =>
      graph.locator(`g.edge[data-from="${from}"][data-to="${to}"]`);
    const agreed = edge(`${NS}/support-drafts`, `${NS}/fraud-scoring`);
    expect(await agreed.getAttribute('data-state')).toBe('Agreed');
    expect(await agreed.locator('path').getAttribute('stroke-dasharray')).toBeNull();
    const pending = edge(`${NS}/ticket-router`, `${NS}/fraud-scoring`);
    expect(await pending.getAttribute('data-state')).toBe('WaitingForPeer');
    expect(await pending.locator('path').getAttribute('stroke-dasharray')).not.toBeNull();
    expect((await pending.locator('text').textContent())?.trim()).toBe('waits for reg-fraud-lead');
    expect(
      await edge(`${NS}/support-drafts`, 'cidrs:203.0.113.0/24').getAttribute('data-state'),
    ).toBe('Agreed');
    // Drawn, not just written: the boxes have a size, callers left of their callee.
    const box = async (key: string) => {
      const found = await node(key).locator('rect').boundingBox();
      if (found === null) throw new Error(`${key} is not drawn`);
      return found;
    };
    const callee = await box(`${NS}/fraud-scoring`);
    expect(callee.width).toBeGreaterThan(100);
    expect((await box(`${NS}/ticket-router`)).x).toBeLessThan(callee.x);
    expect((await box('cidrs:203.0.113.0/24')).x).toBeGreaterThan(callee.x);
    // The legend says in words what colours and lines mean; the table lists the same edges.
    const legend = await page.locator('ul.legend').innerText();
    for (const words of [
      'Minimal risk',
      'Limited risk',
      'High risk',
      'agreed',
      'pending',
      'forbidden',
    ]) {
      expect(legend).toContain(words);
    }
    const row = page.locator(
      `section[aria-labelledby="interactions"] tr[data-from="${NS}/ticket-router"]`,
    );
    expect((await row.innerText()).replace(/\s+/g, ' ')).toContain(
      'pending reg-fraud-lead (for reg-e2e/fraud-scoring)',
    );
  });

  it('moves the keyboard focus in reading order, from the skip link', async () => {
    await page.goto(register.url);
    const order: string[] = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    expect(order.slice(0, 6)).toEqual([
      'a Skip',
      'select#filter-namespace All',
      'select#filter-role All',
      'select#filter-person Everybody',
      'button Filter',
      'a Clear',
    ]);
    expect(order[6]).toMatch(/^a /); // the first capability's chain link
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('a Skip');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^main#main/);
  });

  it('filters by person', async () => {
    await page.goto(register.url);
    await page.selectOption('#filter-person', 'reg-sam');
    await page.click('button[type="submit"]');
    await page.waitForURL(/person=reg-sam/);
    const rows = page.locator('section[aria-labelledby="capabilities"] tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('id')).toBe(`capability/${NS}/support-drafts`);
    expect(await page.locator('#filter-person').inputValue()).toBe('reg-sam');
    expect(await page.locator('section[aria-labelledby="delegations"]').innerText()).toContain(
      'No active delegation matches.',
    );
  });

  it('links each capability and workload to its chain view', async () => {
    await page.goto(register.url);
    await page.click(`tr[id="capability/${NS}/fraud-scoring"] th a`);
    await page.waitForURL(/\/chain\/reg-e2e\/Capability\/fraud-scoring$/);
    expect(await page.title()).toBe(`Chain of Capability ${NS}/fraud-scoring`);
    const chain = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(chain).toContain('Erin Walsh (reg-erin)');
    expect(chain).toContain('fraud-scoring-scorer');
    expect(chain).toContain('gpu-benchmark');
    expect(chain).toMatch(/Deployment scorer Anchored/);
    // Its interactions: the agreed call from support-drafts, the pending one from ticket-router.
    const edges = page.locator('section[aria-labelledby="interactions"] svg.graph g.edge');
    expect(await edges.count()).toBe(2);
    await page.click('text=Deployment scorer');
    await page.waitForURL(/\/chain\/reg-e2e\/Deployment\/scorer$/);
    const workload = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(workload).toMatch(/Decision now Anchored:/);
    expect(workload).toContain(`Capability ${NS}/fraud-scoring`);
    await page.click('text=Back to the register');
    await page.click(`text=Deployment ${NS}/rogue`);
    await page.waitForURL(/\/chain\/reg-e2e\/Deployment\/rogue$/);
    expect(await page.locator('main').innerText()).toContain('AnchorMissing');
  });

  it('keeps a screenshot of the page as a test artifact', async () => {
    await page.goto(`${register.url}?namespace=${NS}`);
    const directory = join(ARTIFACTS_DIR, 'register');
    mkdirSync(directory, { recursive: true });
    const file = join(directory, 'register.png');
    await page.screenshot({ path: file, fullPage: true });
    // A PNG of the whole page: its signature, and more than a blank page weighs.
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  });

  it('shows a person with no rights that the register is partial, and writes a static file', async () => {
    const nobody = await oos([
      'register',
      '--kubeconfig',
      inject('kubeconfig'),
      '--as',
      'reg-nobody',
      '--output',
      '-',
    ]);
    expect(nobody.code).toBe(0);
    expect(nobody.out).toContain('This register is partial');
    expect(nobody.out).toContain('you may not list capabilities.oos.dev');
    expect(nobody.out).not.toContain('fraud-scoring');
    const admin = await oos([
      'register',
      '--kubeconfig',
      inject('kubeconfig'),
      '--namespace',
      NS,
      '--output',
      '-',
    ]);
    expect(admin.code).toBe(0);
    expect(admin.out).toContain(`<a href="#capability/${NS}/fraud-scoring">`);
    expect(admin.out).not.toContain('/chain/');
  });
});
