import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PartedGauge, type Series } from './parted-gauge.js';

const HELP = 'Help with a \\ backslash\nand a newline.';

/** prom-client's text for a gauge holding `series`, in order. */
async function promClientText(series: readonly Series[]): Promise<string> {
  const registry = new Registry();
  const gauge = new Gauge({
    name: 'oos_test',
    help: HELP,
    labelNames: ['namespace', 'capability'],
    registers: [registry],
  });
  for (const { labels, value } of series) gauge.set(labels, value);
  return registry.metrics();
}

describe('a gauge kept as text per part', () => {
  it('writes what prom-client writes for the same series, escapes included', async () => {
    const series: Series[] = [
      { labels: { namespace: 'a', capability: 'plain' }, value: 3 },
      { labels: { namespace: 'a', capability: 'quote " back \\ new\nline' }, value: 0.5 },
      { labels: { namespace: 'b', capability: '' }, value: 12_000 },
    ];
    const gauge = new PartedGauge('oos_test', HELP);
    gauge.setPart('a', series.slice(0, 2));
    gauge.setPart('b', series.slice(2));
    expect(gauge.text()).toBe(await promClientText(series));
  });

  it('writes the header alone when it holds no series, as prom-client does', async () => {
    const gauge = new PartedGauge('oos_test', HELP);
    expect(gauge.text()).toBe(await promClientText([]));
    gauge.setPart('a', [{ labels: { namespace: 'a' }, value: 1 }]);
    gauge.reset();
    expect(gauge.text()).toBe(await promClientText([]));
  });

  it('replaces a part, removes it when empty, and keeps the others as they were', () => {
    const gauge = new PartedGauge('g', 'h');
    gauge.setPart('a', [{ labels: { namespace: 'a' }, value: 1 }]);
    gauge.setPart('b', [{ labels: { namespace: 'b' }, value: 2 }]);
    gauge.setPart('a', [{ labels: { namespace: 'a' }, value: 5 }]);
    expect(gauge.text()).toBe(
      '# HELP g h\n# TYPE g gauge\ng{namespace="a"} 5\ng{namespace="b"} 2\n',
    );
    gauge.setPart('a', []);
    expect(gauge.text()).toBe('# HELP g h\n# TYPE g gauge\ng{namespace="b"} 2\n');
    gauge.removePart('b');
    gauge.removePart('never');
    expect(gauge.text()).toBe('# HELP g h\n# TYPE g gauge\n');
  });

  it('gives the same string until a part changes', () => {
    const gauge = new PartedGauge('g', 'h');
    gauge.setPart('a', [{ labels: { namespace: 'a' }, value: 1 }]);
    const first = gauge.text();
    gauge.setPart('a', [{ labels: { namespace: 'a' }, value: 1 }]);
    gauge.removePart('b');
    const whole = (gauge as unknown as { whole: string | undefined }).whole;
    expect(whole).toBe(first);
    gauge.setPart('a', [{ labels: { namespace: 'a' }, value: 2 }]);
    expect((gauge as unknown as { whole: string | undefined }).whole).toBeUndefined();
    expect(gauge.text()).toBe('# HELP g h\n# TYPE g gauge\ng{namespace="a"} 2\n');
  });

  it('writes NaN and the infinities in the text format', () => {
    const gauge = new PartedGauge('g', 'h');
    gauge.setPart('a', [
      { labels: {}, value: Number.NaN },
      { labels: { x: '1' }, value: Number.POSITIVE_INFINITY },
      { labels: { x: '2' }, value: Number.NEGATIVE_INFINITY },
    ]);
    expect(gauge.text().split('\n').slice(2)).toEqual([
      'g NaN',
      'g{x="1"} +Inf',
      'g{x="2"} -Inf',
      '',
    ]);
  });
});
