/**
 * Authentication and authorization.
 *
 * Tokens: a CSV file like kube-apiserver's --token-auth-file, one identity a line:
 *   token,user,uid,"group1,group2"
 *
 * Policy: a YAML file of rules; a request is allowed when any rule matches it. Members of the
 * group `system:masters` may do everything without rules.
 *   rules:
 *     - users: [alice]            # user names, and/or
 *       groups: [team-a]          # group names (a rule matches if either list does)
 *       namespaces: [team-a]      # namespaces; "*" = all, including cluster-scoped resources
 *       verbs: [get, list, watch] # get list watch create update patch delete deletecollection, "*" = all
 *       resources: ["*"]          # plural resource names ("jobs", "jobs/status"), "*" = all
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { BorealisError } from '../errors/index.js';
import type { UserInfo } from './admission.js';
import { isPlainObject } from './objects.js';

export const ADMIN_GROUP = 'system:masters';

function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  fields.push(cur);
  return fields.map((f) => f.trim());
}

export function parseTokenFile(text: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [token = '', name = '', uid = '', groups = ''] = parseCsvLine(line);
    if (token === '' || name === '') throw new Error(`token file line needs at least token,user: ${line}`);
    tokens.set(token, {
      name,
      uid,
      groups: groups
        .split(',')
        .map((g) => g.trim())
        .filter((g) => g !== ''),
    });
  }
  return tokens;
}

export interface PolicyRule {
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly namespaces: readonly string[];
  readonly verbs: readonly string[];
  readonly resources: readonly string[];
}

function strings(value: unknown, fallback: readonly string[]): readonly string[] {
  return Array.isArray(value) ? value.map(String) : fallback;
}

export function parsePolicy(text: string): PolicyRule[] {
  const doc: unknown = parseYaml(text);
  const rules = isPlainObject(doc) && Array.isArray(doc['rules']) ? doc['rules'] : [];
  return rules.filter(isPlainObject).map((r) => ({
    users: strings(r['users'], []),
    groups: strings(r['groups'], []),
    namespaces: strings(r['namespaces'], []),
    verbs: strings(r['verbs'], []),
    resources: strings(r['resources'], ['*']),
  }));
}

export interface AccessRequest {
  readonly verb: string;
  readonly group: string;
  /** Plural resource, with "/status" for the subresource. */
  readonly resource: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
}

const has = (list: readonly string[], value: string) => list.includes('*') || list.includes(value);

export class Authorizer {
  constructor(
    private readonly tokens: Map<string, UserInfo> | undefined,
    private readonly rules: readonly PolicyRule[],
  ) {}

  static fromFiles(tokenFile: string | undefined, policyFile: string | undefined): Authorizer {
    const tokens = tokenFile ? parseTokenFile(readFileSync(tokenFile, 'utf8')) : undefined;
    const rules = policyFile ? parsePolicy(readFileSync(policyFile, 'utf8')) : [];
    return new Authorizer(tokens, rules);
  }

  get enabled(): boolean {
    return this.tokens !== undefined;
  }

  /** The caller, from an `Authorization: Bearer <token>` value; 401 when missing or unknown. */
  authenticate(authorization: string | undefined): UserInfo {
    if (!this.tokens) return { name: 'system:admin', uid: '', groups: [ADMIN_GROUP] };
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const user = m?.[1] ? this.tokens.get(m[1]) : undefined;
    if (!user) throw new BorealisError('Unauthorized', 'Unauthorized');
    return user;
  }

  allowed(user: UserInfo, req: AccessRequest): boolean {
    if (user.groups.includes(ADMIN_GROUP)) return true;
    return this.rules.some(
      (r) =>
        (r.users.includes(user.name) || r.groups.some((g) => user.groups.includes(g))) &&
        has(r.verbs, req.verb) &&
        has(r.resources, req.resource) &&
        (r.namespaces.includes('*') || (req.namespace !== undefined && r.namespaces.includes(req.namespace))),
    );
  }

  /** 403 with kube-apiserver's wording when `user` may not do `req`. */
  authorize(user: UserInfo, req: AccessRequest): void {
    if (this.allowed(user, req)) return;
    const qualified = req.group === '' ? req.resource : `${req.resource.split('/')[0]}.${req.group}`;
    const subject = req.name !== undefined ? `${qualified} "${req.name}"` : qualified;
    const where =
      req.namespace !== undefined ? ` in the namespace "${req.namespace}"` : ' at the cluster scope';
    throw new BorealisError(
      'Forbidden',
      `${subject} is forbidden: User "${user.name}" cannot ${req.verb} resource "${req.resource}" in API group "${req.group}"${where}`,
      {
        details: {
          ...(req.name !== undefined ? { name: req.name } : {}),
          group: req.group,
          kind: req.resource,
        },
      },
    );
  }
}
