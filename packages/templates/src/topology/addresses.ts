/** Parsed IPv4/IPv6 CIDR addresses and the subnet arithmetic the generator needs. */
export interface Cidr {
  family: 4 | 6;
  /** The address as written, without the prefix. */
  address: string;
  prefixLength: number;
  /** The address as a big integer (128-bit for IPv6). */
  value: bigint;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function parseIpv4(text: string): bigint | undefined {
  if (!IPV4.test(text)) return undefined;
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

export function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return undefined;
  let head = text;
  let tail = '';
  const doubleColon = text.indexOf('::');
  if (doubleColon >= 0) {
    if (text.indexOf('::', doubleColon + 1) >= 0) return undefined;
    head = text.slice(0, doubleColon);
    tail = text.slice(doubleColon + 2);
  }
  const toGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i += 1) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) groups.push(parseInt(piece, 16));
      else return undefined;
    }
    return groups;
  };
  const before = toGroups(head);
  const after = toGroups(tail);
  if (!before || !after) return undefined;
  const missing = 8 - before.length - after.length;
  if (doubleColon >= 0 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...before, ...Array<number>(missing).fill(0), ...after];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

/** Parses `address/prefix`; undefined when it is not a valid IPv4 or IPv6 CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const address = match[1]!;
  const prefixLength = Number(match[2]);
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return prefixLength <= 32 ? { family: 4, address, prefixLength, value: v4 } : undefined;
  const v6 = parseIpv6(address);
  if (v6 !== undefined) return prefixLength <= 128 ? { family: 6, address, prefixLength, value: v6 } : undefined;
  return undefined;
}

/** Parses a bare IPv4 or IPv6 address. */
export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

function bits(family: 4 | 6): bigint {
  return family === 4 ? 32n : 128n;
}

/** The network number of a CIDR (host bits cleared). */
export function networkOf(cidr: Pick<Cidr, 'family' | 'prefixLength' | 'value'>): bigint {
  const hostBits = bits(cidr.family) - BigInt(cidr.prefixLength);
  return (cidr.value >> hostBits) << hostBits;
}

/** True when `ip` lies in the subnet of `cidr`. */
export function subnetContains(cidr: Cidr, ip: { family: 4 | 6; value: bigint }): boolean {
  return cidr.family === ip.family && networkOf(cidr) === networkOf({ ...cidr, value: ip.value });
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups (the first on a tie) written `::`. */
export function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The subnet of a CIDR written canonically, e.g. `10.0.0.0/24`. */
export function subnetText(cidr: Cidr): string {
  const network = networkOf(cidr);
  return `${cidr.family === 4 ? formatIpv4(network) : formatIpv6(network)}/${cidr.prefixLength}`;
}
