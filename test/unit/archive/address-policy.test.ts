import type { LookupAddress, lookup } from 'node:dns';
import { checkedLookup, refusedAddress } from '../../../lib/archive/address-policy';
import { RecordingRefusedError } from '../../../lib/archive/errors';

/** A resolver we control: no real DNS in tests. */
function resolverOf(table: Record<string, string[]>): typeof lookup {
  return ((hostname: string, _options: unknown, callback: (...args: unknown[]) => void) => {
    const addresses = (table[hostname] ?? []).map(
      (address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }),
    );
    callback(null, addresses);
  }) as unknown as typeof lookup;
}

function resolveThrough(
  policy: Parameters<typeof checkedLookup>[0],
  host: string,
): Promise<unknown> {
  return new Promise((resolve) => {
    checkedLookup(policy)(host, { all: true }, (error, address) => resolve(error ?? address));
  });
}

describe('the address a recording download may connect to', () => {
  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback, elsewhere in 127/8', '127.10.0.2'],
    ['the AWS metadata address', '169.254.169.254'],
    ['link-local', '169.254.1.1'],
    ['the Alibaba Cloud metadata address', '100.100.100.200'],
    ['unspecified', '0.0.0.0'],
    ['multicast', '224.0.0.1'],
    ['IPv6 loopback', '::1'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
  ])('given %s (%s), then it is refused even with private addresses allowed', (_name, address) => {
    expect(refusedAddress(address, { privateAddresses: 'allow' })).toMatch(/loopback|reserved/);
  });

  it.each([
    ['NAT64 (64:ff9b::/96) of the metadata address', '64:ff9b::a9fe:a9fe'],
    ['NAT64 (64:ff9b::/96) of a public address, written dotted', '64:ff9b::47.96.1.2'],
    ['local-use NAT64 (64:ff9b:1::/48)', '64:ff9b:1:2::7f00:1'],
    ['6to4 (2002::/16) of loopback', '2002:7f00:1::1'],
    ['6to4 (2002::/16) of a public address', '2002:2f60:102::1'],
    ['IPv4-compatible (::/96) loopback', '::7f00:1'],
    ['IPv4-compatible (::/96), written dotted', '::10.0.0.1'],
    ['IPv4-translated (::ffff:0:0/96)', '::ffff:0:a9fe:a9fe'],
    ['Teredo (2001::/32)', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['deprecated site-local (fec0::/10)', 'fec0::1'],
    ['site-local, elsewhere in fec0::/10', 'feff::1'],
    ['benchmarking (198.18.0.0/15)', '198.18.0.1'],
    ['benchmarking, its upper half', '198.19.255.254'],
    ['IPv4-mapped benchmarking', '::ffff:198.18.0.1'],
  ])(
    'given an address that embeds or stands for IPv4 space, %s (%s), then it is refused even with private addresses allowed',
    (_name, address) => {
      expect(refusedAddress(address, { privateAddresses: 'allow' })).toMatch(/embeds|reserved/);
    },
  );

  it.each([
    ['a public IPv6 address', '2408:4005:3ff:1::1'],
    ['a public IPv6 address next to Teredo', '2001:4860:4860::8888'],
    ['an address just past 198.18.0.0/15', '198.20.0.1'],
    ['an address just before it', '198.17.255.255'],
  ])('given %s (%s), then it may be reached', (_name, address) => {
    expect(refusedAddress(address, { privateAddresses: 'deny' })).toBeUndefined();
  });

  it.each([
    ['10/8', '10.1.2.3'],
    ['172.16/12', '172.20.0.1'],
    ['192.168/16', '192.168.1.1'],
    ['100.64/10 (Alibaba internal OSS)', '100.118.28.1'],
    ['fc00::/7', 'fd00::1'],
  ])('given a private address in %s, then it is refused unless allowed', (_name, address) => {
    expect(refusedAddress(address, { privateAddresses: 'deny' })).toMatch(/private/);
    expect(refusedAddress(address, { privateAddresses: 'allow' })).toBeUndefined();
  });

  it('given a public address, then it may be reached', () => {
    expect(refusedAddress('47.96.1.2', { privateAddresses: 'deny' })).toBeUndefined();
  });

  it('given a name under an allowed suffix that resolves to a forbidden address, then the lookup refuses it', async () => {
    const resolve = resolverOf({
      'a.oss-cn-hangzhou.aliyuncs.com': ['47.96.1.2', '169.254.169.254'],
      'b.oss-cn-hangzhou.aliyuncs.com': ['47.96.1.2'],
    });

    const refused = await resolveThrough(
      { privateAddresses: 'deny', resolve },
      'a.oss-cn-hangzhou.aliyuncs.com',
    );
    const allowed = await resolveThrough(
      { privateAddresses: 'deny', resolve },
      'b.oss-cn-hangzhou.aliyuncs.com',
    );

    expect(refused).toBeInstanceOf(RecordingRefusedError);
    expect(String((refused as Error).message)).toMatch(/169\.254\.169\.254/);
    expect(allowed).toEqual([{ address: '47.96.1.2', family: 4 }]);
  });
});
