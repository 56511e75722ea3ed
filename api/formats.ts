import { z } from 'zod';
import { matchesRule, withRules } from './cel.js';
import { isApiDateTime } from './date-time.js';
import { DURATION_MAX_LENGTH, DURATION_PATTERN } from './duration.js';

/**
 * String formats shared by every kind. Each is enforced by the apiserver through a CEL rule with a
 * readable message (a `pattern` would only print the regular expression) and by zod through the
 * same regular expression. Patterns avoid backslashes and anything RE2 and ECMAScript read apart.
 */

/** RFC 1123 label: object names of most kinds, namespaces, label-safe names. */
export const DNS1123_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
export const DNS1123_LABEL_MAX_LENGTH = 63;

/** RFC 1123 subdomain: names of ServiceAccounts, AccountableRoles and most objects. */
export const DNS1123_SUBDOMAIN_PATTERN =
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

/** A plain address (`alice@example.com`), never a display form such as `Alice <alice@…>`. */
export const EMAIL_PATTERN =
  "^[A-Za-z0-9._%+'-]+@[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?([.][A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)+$";
export const EMAIL_MAX_LENGTH = 254;

/** Kubernetes usernames are opaque strings; this bounds them for CEL cost estimation. */
export const USERNAME_MAX_LENGTH = 253;

/** The prefix of every ServiceAccount username. */
export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';

/** The prefix Kubernetes reserves for its own identities (users and groups). */
export const SYSTEM_PREFIX = 'system:';

function formatted(pattern: string, maxLength: number, message: string): z.ZodString {
  return withRules(z.string().min(1).max(maxLength), [matchesRule(pattern, message)]);
}

/** The name of a namespaced object that is also used as a label value, or of a namespace. */
export function dns1123Label(): z.ZodString {
  return formatted(
    DNS1123_LABEL_PATTERN,
    DNS1123_LABEL_MAX_LENGTH,
    "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit (at most 63 characters)",
  );
}

/** The name of an object such as a ServiceAccount or an AccountableRole. */
export function dns1123Subdomain(): z.ZodString {
  return formatted(
    DNS1123_SUBDOMAIN_PATTERN,
    DNS1123_SUBDOMAIN_MAX_LENGTH,
    "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (at most 253 characters)",
  );
}

/** A plain email address. */
export function email(): z.ZodString {
  return formatted(
    EMAIL_PATTERN,
    EMAIL_MAX_LENGTH,
    'must be a plain email address such as alice@example.com',
  );
}

/** A duration in the oos format (see duration.ts), zero allowed. */
export function duration(): z.ZodString {
  return withRules(z.string().min(2).max(DURATION_MAX_LENGTH), [
    matchesRule(
      DURATION_PATTERN,
      'must be a duration such as 90d, 36h or 1h30m: whole numbers with units d, h, m, s, largest first',
    ),
  ]);
}

/** A duration longer than zero. */
export function positiveDuration(): z.ZodString {
  return withRules(duration(), [matchesRule('[1-9]', 'must be a duration longer than zero')]);
}

/**
 * An RFC 3339 date-time with a time zone, e.g. `2026-03-31T00:00:00Z`. The apiserver checks it
 * natively (`format: date-time`), which also makes it a CEL timestamp that rules can compare; zod
 * accepts exactly what the apiserver accepts (date-time.ts: lowercase `t` and `z` among others),
 * so an object the cluster stores is never invalid to oos.
 */
export function dateTime(): z.ZodString {
  return z
    .string()
    .refine(isApiDateTime, {
      message: 'must be an RFC 3339 date-time with a time zone, such as 2026-03-31T00:00:00Z',
      abort: true,
    })
    .meta({ format: 'date-time' });
}

/** A Kubernetes username, as authentication reports it. */
export function username(): z.ZodString {
  return z.string().min(1).max(USERNAME_MAX_LENGTH);
}

/** A Kubernetes username that belongs to a natural person: never a ServiceAccount or `system:` identity. */
export function humanUsername(): z.ZodString {
  return withRules(username(), [
    {
      rule: `!self.startsWith('${SERVICE_ACCOUNT_USER_PREFIX}')`,
      message:
        'must be a person: a ServiceAccount (system:serviceaccount:...) can execute but never hold accountability',
      reason: 'FieldValueForbidden',
      check: (user) => !user.startsWith(SERVICE_ACCOUNT_USER_PREFIX),
    },
    {
      rule: `!self.startsWith('${SYSTEM_PREFIX}') || self.startsWith('${SERVICE_ACCOUNT_USER_PREFIX}')`,
      message:
        'must be a person: system: identities belong to Kubernetes and never hold accountability',
      reason: 'FieldValueForbidden',
      check: (user) =>
        !user.startsWith(SYSTEM_PREFIX) || user.startsWith(SERVICE_ACCOUNT_USER_PREFIX),
    },
  ]);
}

/** A Kubernetes group name. */
export function groupName(): z.ZodString {
  return z.string().min(1).max(USERNAME_MAX_LENGTH);
}

/** Free text written by people (descriptions, justifications), bounded. */
export function text(maxLength: number): z.ZodString {
  return z.string().min(1).max(maxLength);
}

/** A glob (`*` matches any run of characters, `/` included): printable ASCII without spaces. */
export function glob(maxLength: number): z.ZodString {
  return formatted(
    '^[!-~]+$',
    maxLength,
    'must be a glob of printable characters without spaces (* matches any run of characters)',
  );
}

const IPV4_OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4_CIDR = new RegExp(`^(${IPV4_OCTET}[.]){3}${IPV4_OCTET}/(3[0-2]|[12]?[0-9])$`);

/** The 16-bit groups of an IPv6 address (`::` expanded), or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
    return groups.map((group) => Number.parseInt(group, 16));
  };
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** True when `value` is an IPv4 or IPv6 CIDR whose host bits are zero (e.g. 203.0.113.0/24). */
export function isCanonicalCidr(value: string): boolean {
  const slash = value.lastIndexOf('/');
  const prefix = Number(value.slice(slash + 1));
  if (IPV4_CIDR.test(value)) {
    const address = value
      .slice(0, slash)
      .split('.')
      .reduce((sum, octet) => sum * 256 + Number(octet), 0);
    return prefix === 0 ? address === 0 : address % 2 ** (32 - prefix) === 0;
  }
  if (slash < 0 || !/^(12[0-8]|1[01][0-9]|[1-9]?[0-9])$/.test(value.slice(slash + 1))) {
    return false;
  }
  const groups = ipv6Groups(value.slice(0, slash));
  if (groups === undefined) return false;
  return groups.every((group, index) => {
    const hostBits = Math.min(16, Math.max(0, (index + 1) * 16 - prefix));
    return group % 2 ** hostBits === 0;
  });
}

/** An address range in CIDR notation, IPv4 or IPv6, with its host bits zero. */
export function cidr(): z.ZodString {
  return withRules(z.string().min(1).max(64), [
    {
      rule: 'isCIDR(self) && cidr(self) == cidr(self).masked()',
      message: 'must be a CIDR with its host bits zero, such as 203.0.113.0/24 or 2001:db8::/32',
      check: isCanonicalCidr,
    },
  ]);
}
