import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { RecordingRefusedError } from './errors';

/**
 * Where a recording download may connect (docs/design.md "The archive"). The host name's
 * allow-list is not enough: a name under an allowed suffix can resolve to anything, so the
 * address is checked when the socket connects, through the agent's `lookup`.
 */
export interface AddressPolicy {
  /** `allow`: private ranges (RFC 1918, 100.64/10, fc00::/7) may be reached, as in a VPC. */
  privateAddresses: 'allow' | 'deny';
  /** A resolver to use instead of the system's (tests). */
  resolve?: typeof dnsLookup;
}

const ALWAYS = new BlockList();
ALWAYS.addSubnet('0.0.0.0', 8); // "this network", unspecified
ALWAYS.addSubnet('127.0.0.0', 8); // loopback
ALWAYS.addSubnet('169.254.0.0', 16); // link-local, 169.254.169.254 metadata among them
ALWAYS.addAddress('100.100.100.200'); // Alibaba Cloud's instance metadata
ALWAYS.addSubnet('224.0.0.0', 4); // multicast
ALWAYS.addSubnet('240.0.0.0', 4); // reserved, broadcast
ALWAYS.addSubnet('198.18.0.0', 15); // benchmarking (RFC 2544): no public server lives there
ALWAYS.addAddress('::', 'ipv6');
ALWAYS.addAddress('::1', 'ipv6');
ALWAYS.addSubnet('fe80::', 10, 'ipv6');
ALWAYS.addSubnet('ff00::', 8, 'ipv6');
ALWAYS.addSubnet('fec0::', 10, 'ipv6'); // site-local: deprecated, private in all but name

/**
 * IPv6 forms that carry an IPv4 address and reach it through a translator or a tunnel: a
 * NAT64 gateway turns 64:ff9b::a9fe:a9fe into 169.254.169.254. Refused whatever they
 * embed: the recording hosts have addresses of their own, so none of these is needed.
 */
const EMBEDS_IPV4 = new BlockList();
EMBEDS_IPV4.addSubnet('64:ff9b::', 96, 'ipv6'); // NAT64, well-known prefix (RFC 6052)
EMBEDS_IPV4.addSubnet('64:ff9b:1::', 48, 'ipv6'); // NAT64, local use (RFC 8215)
EMBEDS_IPV4.addSubnet('2002::', 16, 'ipv6'); // 6to4 (RFC 3056)
EMBEDS_IPV4.addSubnet('2001::', 32, 'ipv6'); // Teredo (RFC 4380)
EMBEDS_IPV4.addSubnet('::', 96, 'ipv6'); // IPv4-compatible (deprecated, RFC 4291)
EMBEDS_IPV4.addSubnet('::ffff:0:0:0', 96, 'ipv6'); // IPv4-translated (RFC 2765)

const PRIVATE = new BlockList();
PRIVATE.addSubnet('10.0.0.0', 8);
PRIVATE.addSubnet('172.16.0.0', 12);
PRIVATE.addSubnet('192.168.0.0', 16);
PRIVATE.addSubnet('100.64.0.0', 10); // carrier-grade NAT: Alibaba's internal endpoints
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

/** `::ffff:127.0.0.1` is 127.0.0.1. */
function normalized(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return { address: mapped, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/** Why `address` may not be reached, or undefined when it may. */
export function refusedAddress(address: string, policy: AddressPolicy): string | undefined {
  const { address: ip, family } = normalized(address);
  if (isIP(ip) === 0) return `${address} is not an IP address`;
  if (ALWAYS.check(ip, family))
    return `${ip} is a loopback, link-local, metadata or reserved address`;
  if (family === 'ipv6' && EMBEDS_IPV4.check(ip, family))
    return `${ip} embeds an IPv4 address (NAT64, 6to4, Teredo or IPv4-compatible)`;
  if (policy.privateAddresses !== 'allow' && PRIVATE.check(ip, family))
    return `${ip} is a private address (RECORDING_PRIVATE_ADDRESSES=allow permits it)`;
  return undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http(s).get that resolves as usual and refuses the connection when any
 * address the name resolves to is forbidden.
 */
export function checkedLookup(policy: AddressPolicy) {
  const resolve = policy.resolve ?? dnsLookup;
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const refused = list.map((entry) => refusedAddress(entry.address, policy)).find(Boolean);
      if (refused || list.length === 0) {
        const why = refused ?? 'no address';
        return callback(
          Object.assign(
            new RecordingRefusedError(`recordFile host ${hostname} resolves to ${why}`),
            {
              code: 'EREFUSEDADDRESS',
            },
          ),
          [],
        );
      }
      if (options.all) return callback(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
