/**
 * The accountability register at scale: the large governance (5,000 capabilities, 10,000
 * delegations, 1,000 roles, 100 exemptions) plus 1,000 open escalations and 5,000 audited
 * workloads (one in five unanchored). Reports the time to build the register, to render the whole
 * page, a filtered page and a chain view, and the page's size. Numbers only, no assertions.
 *
 *   npx tsx bench/register.bench.ts
 */
import { buildSnapshot } from '../engine/index.js';
import { auditWorkload, type Finding } from '../engine/escalation/index.js';
import {
  buildRegister,
  capabilityRef,
  chainView,
  filterRegister,
  type RegisterInput,
} from '../engine/register/index.js';
import { SERVED_LINKS } from '../cli/register/links.js';
import { renderChainPage } from '../cli/register/chain-page.js';
import { renderRegisterPage } from '../cli/register/page.js';
import { deployment, escalation, NOW } from '../engine/testing/fixtures.js';
import { CAPABILITIES_PER_NAMESPACE, largeGovernance, NAMESPACES } from './large-governance.js';
import { time as timeRuns } from './timing.js';

const WORKLOADS = 5_000;
const ESCALATIONS = 1_000;
const RUNS = 15;
const time = <T>(run: () => T) => timeRuns(RUNS, run);

const objects = largeGovernance();
const escalations = Array.from({ length: ESCALATIONS }, (_, i) => {
  const namespace = `team-${i % NAMESPACES}`;
  const capability = `cap-${i % CAPABILITIES_PER_NAMESPACE}`;
  return escalation(
    `delegation-expired-${i}`,
    {
      capability,
      subject: {
        apiVersion: 'oos.dev/v1alpha1',
        kind: 'Delegation',
        namespace,
        name: `${capability}-sa-0`,
      },
    },
    { level: 1 + (i % 2), notifiedRoles: ['chief-risk-officer'] },
    namespace,
  );
});
const governance = { ...objects, escalations };
const snapshot = buildSnapshot(governance, { operatorNamespace: 'oos-system' });
const findings: Finding[] = [];
for (let i = 0; i < WORKLOADS; i++) {
  const namespace = `team-${i % NAMESPACES}`;
  const labels = { 'oos.dev/capability': `cap-${i % CAPABILITIES_PER_NAMESPACE}` };
  const workload = deployment({
    name: `w-${i}`,
    namespace,
    labels,
    templateLabels: labels,
    serviceAccount: i % 5 === 0 ? 'stranger' : `sa-${i % 2}`,
    image: 'vllm/vllm-openai:v0.6.3',
  });
  const finding = auditWorkload(workload, snapshot, {}, NOW);
  if (finding !== undefined) findings.push(finding);
}
const input: RegisterInput = { snapshot, objects: governance, findings, now: NOW };

const build = time(() => buildRegister(input));
const register = build.result;
const page = time(() =>
  renderRegisterPage(register, { filter: {}, links: SERVED_LINKS, warnings: [] }),
);
const both = time(() =>
  renderRegisterPage(buildRegister(input), { filter: {}, links: SERVED_LINKS, warnings: [] }),
);
const person = time(() => {
  const filter = { person: 'holder-7' };
  return renderRegisterPage(filterRegister(buildRegister(input), filter), {
    filter,
    links: SERVED_LINKS,
    warnings: [],
  });
});
const chain = time(() => {
  const view = chainView(input, buildRegister(input), capabilityRef('team-7', 'cap-7'));
  return view === undefined ? '' : renderChainPage(view, register.at);
});

const rows = (r: typeof register) =>
  r.capabilities.length +
  r.delegations.length +
  r.escalations.length +
  r.exemptions.length +
  r.findings.length;
const kib = (text: string) => `${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`;
const ms = (value: { ms: number; cpuMs: number }) =>
  `${value.ms.toFixed(1)} ms (CPU ${value.cpuMs.toFixed(1)} ms)`;

console.log(
  `register of ${String(register.capabilities.length)} capabilities, ${String(register.delegations.length)} delegations, ${String(register.escalations.length)} open escalations, ${String(register.exemptions.length)} exemptions, ${String(register.findings.length)} unanchored of ${String(findings.length)} audited workloads (${String(rows(register))} rows), median of ${String(RUNS)} runs:`,
);
console.log(`  buildRegister                        ${ms(build)}`);
console.log(`  render the whole page                ${ms(page)}  (${kib(page.result)})`);
console.log(
  `  build + render (a page load, cluster read aside)  ${ms(both)}  (${((both.ms / 1000) * 100).toFixed(0)}% of the 1 s budget)`,
);
console.log(
  `  build + filter by person + render    ${ms(person)}  (${kib(person.result)}; ${(person.ms / both.ms).toFixed(2)}× the whole page)`,
);
console.log(`  build + chain view of a capability   ${ms(chain)}  (${kib(chain.result)})`);
