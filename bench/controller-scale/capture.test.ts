import { describe, expect, it } from 'vitest';
import { ExchangeReader, summarizeExchanges } from './capture.js';

/** A line as `tcpdump -n -tt -S` prints it (the options cut short). */
const segment = (time: string, from: number, to: number, flags: string, length: number): string =>
  `${time} IP 127.0.0.1.${String(from)} > 127.0.0.1.${String(to)}: Flags [${flags}], seq 1:${String(1 + length)}, ack 1, win 70, options [nop,nop,TS val 1 ecr 2], length ${String(length)}`;

const SERVER = 45543;

describe('ExchangeReader', () => {
  it("times a request from its last segment in to the answer's first segment out", () => {
    const reader = new ExchangeReader(SERVER);
    for (const line of [
      segment('100.000000', 51702, SERVER, 'P.', 229), // the headers
      segment('100.000800', 51702, SERVER, 'P.', 2753), // the body, 0.8 ms later: the apiserver's
      segment('100.000810', SERVER, 51702, '.', 0), // an ACK times nothing
      segment('100.002800', SERVER, 51702, 'P.', 456), // the answer, 2 ms after the body
      segment('100.002820', 51702, SERVER, '.', 0),
    ])
      reader.line(line);
    expect(reader.exchanges).toHaveLength(1);
    expect(reader.exchanges[0]?.at).toBe(100.0008);
    expect(reader.exchanges[0]?.ms).toBeCloseTo(2, 6);
  });

  it('keeps connections apart, and starts no exchange from the rest of an answer or a TLS alert', () => {
    const reader = new ExchangeReader(SERVER);
    for (const line of [
      segment('200.000', 1001, SERVER, 'P.', 3000),
      segment('200.001', 1002, SERVER, 'P.', 3000),
      segment('200.004', SERVER, 1002, 'P.', 456), // 1002 answered first: 3 ms
      segment('200.010', SERVER, 1001, 'P.', 65483), // 1001: 10 ms
      segment('200.011', SERVER, 1001, 'P.', 20000), // the rest of that answer
      segment('205.011', SERVER, 1001, 'P.', 24), // its TLS alert at close, 5 s later
      segment('205.011', 1001, SERVER, 'F.', 0),
    ])
      reader.line(line);
    expect(reader.exchanges.map((e) => [e.at, Math.round(e.ms)])).toEqual([
      [200.001, 3],
      [200, 10],
    ]);
  });

  it('reads only its own port, forgets a connection whose port comes again with a SYN, and skips other lines', () => {
    const reader = new ExchangeReader(SERVER);
    for (const line of [
      segment('300.000', 1001, 6443, 'P.', 500), // another server
      segment('300.001', 6443, 1001, 'P.', 500),
      segment('300.002', 1001, SERVER, 'P.', 500), // never answered: the connection closed
      segment('301.000', 1001, SERVER, 'S', 0), // the port again, a new connection
      segment('301.001', SERVER, 1001, 'S.', 0),
      segment('301.002', SERVER, 1001, 'P.', 100), // data from the server before any request
      'reading from file -, link-type EN10MB (Ethernet)',
      '301.003 IP6 ::1.1001 > ::1.45543: Flags [P.], length 5',
    ])
      reader.line(line);
    expect(reader.exchanges).toEqual([]);
  });
});

describe('summarizeExchanges', () => {
  it('takes the exchanges whose request ended in the window, and the share within 25 ms', () => {
    const exchanges = [
      { at: 9, ms: 100 }, // before the window
      ...Array.from({ length: 999 }, (_, i) => ({ at: 10 + i / 1000, ms: 1 + (i % 10) })),
      { at: 10.5, ms: 30 },
      { at: 11.5, ms: 100 }, // after it
    ];
    const summary = summarizeExchanges(exchanges, 10, 11);
    expect(summary.count).toBe(1000);
    expect(summary.within25).toBe(0.999);
    expect(summary.p50).toBe(5);
    expect(summary.p99).toBe(10);
    expect(summary.p999).toBe(10);
    expect(summary.max).toBe(30);
    expect(summary.slow).toEqual([{ at: 0.5, ms: 30 }]);
  });

  it('gives NaN for a window without exchanges', () => {
    const summary = summarizeExchanges([], 0, 1);
    expect(summary.count).toBe(0);
    expect(summary.within25).toBeNaN();
    expect(summary.p99).toBeNaN();
    expect(summary.max).toBeNaN();
    expect(summary.slow).toEqual([]);
  });
});
