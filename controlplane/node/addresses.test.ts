import { describe, expect, it } from 'vitest';
import { EGRESS_PEER, NODE_NETWORK, ROUTED_RANGES } from './addresses.js';

const toInt = (ip: string): number =>
  ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);

function inRange(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = toInt(base);
  return toInt(ip) >= start && toInt(ip) < start + size;
}

const BENCHMARKING = '198.18.0.0/15'; // RFC 2544: no real network routes it

describe('the node address plan', () => {
  const n = NODE_NETWORK;

  it('uses only the benchmarking range', () => {
    for (const ip of [
      n.hostAddress,
      n.nodeAddress,
      n.podGateway,
      n.kubernetesServiceIp,
      EGRESS_PEER.nodeAddress,
      ...EGRESS_PEER.addresses,
    ]) {
      expect(inRange(ip, BENCHMARKING)).toBe(true);
    }
    for (const cidr of ROUTED_RANGES) {
      expect(inRange(cidr.split('/')[0] ?? '', BENCHMARKING)).toBe(true);
    }
  });

  it('puts both veth ends in one /30, and the gateway and the kubernetes Service in their ranges', () => {
    const link = `${n.hostAddress.replace(/\d+$/, '0')}/${n.linkPrefix}`;
    expect(inRange(n.nodeAddress, link)).toBe(true);
    expect(inRange(n.podGateway, n.podCidr)).toBe(true);
    // The apiserver gives the first address of the Service range to `kubernetes`.
    expect(toInt(n.kubernetesServiceIp)).toBe(toInt(n.serviceCidr.split('/')[0] ?? '') + 1);
  });

  it('keeps the link, Pod, Service and egress peer ranges apart', () => {
    const starts = [n.hostAddress, n.podGateway, n.kubernetesServiceIp, EGRESS_PEER.nodeAddress];
    const ranges = [
      `${n.hostAddress}/${n.linkPrefix}`,
      n.podCidr,
      n.serviceCidr,
      `${EGRESS_PEER.nodeAddress}/${EGRESS_PEER.prefix}`,
    ];
    starts.forEach((ip, i) => {
      ranges.forEach((range, j) => {
        if (i !== j) expect(inRange(ip, range)).toBe(false);
      });
    });
  });

  it('puts both egress peer destinations in the peer’s range', () => {
    for (const ip of EGRESS_PEER.addresses) {
      expect(inRange(ip, `${EGRESS_PEER.nodeAddress}/${EGRESS_PEER.prefix}`)).toBe(true);
    }
  });

  it('names links within the kernel’s 15 characters', () => {
    for (const name of [
      n.hostLink,
      n.nodeLink,
      n.podBridge,
      EGRESS_PEER.nodeLink,
      EGRESS_PEER.peerLink,
    ]) {
      expect(name.length).toBeLessThanOrEqual(15);
    }
  });
});
