import { runKubectl, type KubectlOptions, type KubectlResult } from '../controlplane/kubectl.js';

/** How a person would type an argument in a shell. */
const quote = (arg: string): string =>
  /^[\w@%+=:,./-]*$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;

const indent = (text: string): string =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');

/** Prints what the demo does, the way a person would type it, and what the cluster answered. */
export class Terminal {
  constructor(
    private readonly kubectlPath: string,
    private readonly kubeconfig: string,
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {}

  chapter(number: number, title: string, why: string): void {
    this.write(`\n━━ ${number}. ${title}\n${why}\n`);
  }

  say(text: string): void {
    this.write(`${text}\n`);
  }

  /** Runs kubectl quietly (setup, polling); never throws on a non-zero exit. */
  kubectl(args: readonly string[], options: KubectlOptions = {}): Promise<KubectlResult> {
    return runKubectl(this.kubectlPath, this.kubeconfig, args, options);
  }

  /** Runs kubectl and shows the command and its answer. */
  async show(
    args: readonly string[],
    options: KubectlOptions & { label?: string } = {},
  ): Promise<KubectlResult> {
    const who = options.as === undefined ? '' : ` --as ${options.as}`;
    const input = options.label === undefined ? '' : `   # ${options.label}`;
    this.write(`  $ kubectl ${args.map(quote).join(' ')}${who}${input}\n`);
    const result = await this.kubectl(args, options);
    const text = [result.stdout, result.stderr].filter((t) => t.trim() !== '').join('\n');
    if (text) this.write(`${indent(text)}\n`);
    return result;
  }

  /** kubectl that must succeed (setup); throws with kubectl's words otherwise. */
  async must(args: readonly string[], options: KubectlOptions = {}): Promise<string> {
    const result = await this.kubectl(args, options);
    if (result.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr.trim()}`);
    return result.stdout;
  }
}
