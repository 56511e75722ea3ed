import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ControlPlaneError } from '../controlplane/errors.js';
import { startHostStage } from './host-stage.js';
import { startNodeStage } from './node-stage.js';
import { PEOPLE, story } from './story.js';

const HELP = `Usage: npm run demo [-- --node] [-- --exit-after-story]

The main job of oos, on an embedded default: starts a local Kubernetes control plane (built from
source the first time), installs the CRDs, runs the operator against it, applies samples/, and
walks through the story with real kubectl calls: an unanchored vLLM Deployment refused; anchored
and admitted; a ServiceAccount trying to grant itself a delegation refused; a delegation expiring
and its escalation raised; the stop button scaling a capability to zero. Then it stays up so you
can try your own manifests, until Ctrl-C stops everything.

Options:
  --node               add one real worker node (root only; docs/node.md) and install oos with its
                       Helm chart from the image built here (npm run image): the operator runs as
                       two Pods, the story's Pods really run and the stop button really stops them
  --exit-after-story   stop everything and exit once the story is told (for CI)
  -h, --help           show this help
`;

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const OPERATOR_NAMESPACE = 'oos-system';
/** Resolves on Ctrl-C / SIGTERM (with undefined), or with why the demo cannot go on. */
function untilStopped(check: () => string | undefined): Promise<string | undefined> {
  return new Promise((resolve) => {
    const watch = setInterval(() => {
      const problem = check();
      if (problem !== undefined) {
        clearInterval(watch);
        resolve(problem);
      }
    }, 1_000);
    // `on`, not `once`: a terminal's Ctrl-C can arrive twice (directly and relayed by tsx), and a
    // second, unhandled SIGINT would kill the demo in the middle of its orderly stop.
    const onSignal = (): void => {
      clearInterval(watch);
      resolve(undefined);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      node: { type: 'boolean' },
      'exit-after-story': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const { stage, terminal: t } = values.node
    ? await startNodeStage(log)
    : await startHostStage(REPO, OPERATOR_NAMESPACE, log);
  const cp = stage.controlPlane;
  let exitCode = 0;
  try {
    // RBAC lets the story's people and the fraud-scorer ServiceAccount do anything, so every
    // refusal the demo shows comes from oos, not from RBAC.
    await t.must([
      'create',
      'clusterrolebinding',
      'oos-demo-people',
      '--clusterrole=cluster-admin',
      `--group=${PEOPLE}`,
      '--serviceaccount=risk-ai:fraud-scorer',
    ]);
    t.say(`oos is running: ${stage.where}`);

    await story(t, join(REPO, 'samples'), { node: stage.node });

    t.say(`
━━ Your turn
  export KUBECONFIG=${cp.kubeconfig}
  ${cp.binaries.kubectl} get oos -A
${stage.hints.map((hint) => `  ${hint}`).join('\n')}
  offline: npx oos check -f <manifests> --governance samples
Everything above is a real kube-apiserver and a real operator; Ctrl-C stops it all.`);
    if (!values['exit-after-story']) {
      const problem = await untilStopped(() => stage.problem());
      if (problem !== undefined) {
        process.stderr.write(`oos demo: ${problem}\n`);
        exitCode = 1;
      }
    }
  } catch (error) {
    process.stderr.write(`oos demo: ${error instanceof Error ? error.message : String(error)}\n`);
    exitCode = 1;
  } finally {
    t.say(`\nStopping the operator${stage.node ? ', the node' : ''} and the control plane...`);
    await stage.stop();
    t.say('Stopped; nothing is left running.');
  }
  return exitCode;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ControlPlaneError)) throw error;
  process.stderr.write(`oos demo: ${error.message} [${error.code}]\n`);
  process.exitCode = 1;
}
