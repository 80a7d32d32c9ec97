import { describe, expect, it } from 'vitest';
import { parseCidr, parseIp, subnetContains, subnetText } from '../src/topology/addresses.js';

describe('addresses', () => {
  it('parses IPv4 and IPv6 CIDRs and refuses malformed ones', () => {
    expect(parseCidr('10.0.0.2/24')).toMatchObject({ family: 4, address: '10.0.0.2', prefixLength: 24 });
    expect(parseCidr('fd00::2/64')).toMatchObject({ family: 6, address: 'fd00::2', prefixLength: 64 });
    expect(parseCidr('::ffff:10.0.0.1/128')).toMatchObject({ family: 6 });
    for (const bad of ['10.0.0.256/24', '10.0.0.1/33', '10.0.0/24', '010.0.0.1/8', 'fd00::1::2/64', 'fd00::1/129', 'fd00:1:2:3:4:5:6:7:8/64', '10.0.0.1', 'x/1']) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });

  it('computes subnets and membership', () => {
    expect(subnetText(parseCidr('10.1.2.3/20')!)).toBe('10.1.0.0/20');
    expect(subnetText(parseCidr('fd00:0:0:1::5/64')!)).toBe('fd00:0:0:1::/64');
    expect(subnetText(parseCidr('2001:db8::1/0')!)).toBe('::/0');
    expect(subnetContains(parseCidr('10.0.0.1/24')!, parseIp('10.0.0.200')!)).toBe(true);
    expect(subnetContains(parseCidr('10.0.0.1/24')!, parseIp('10.0.1.1')!)).toBe(false);
    expect(subnetContains(parseCidr('fd00::1/64')!, parseIp('10.0.0.1')!)).toBe(false);
  });
});
