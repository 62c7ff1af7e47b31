/** Reads the parts of a kubeconfig the HTTP client needs: server URL, bearer token, CA. */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { BorealisError } from '../errors/index.js';

export interface Connection {
  readonly server: string;
  readonly token?: string;
  /** PEM of the CA that signed the server's certificate. */
  readonly ca?: string;
  readonly insecureSkipTlsVerify?: boolean;
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: {
    name: string;
    cluster: { server: string; 'certificate-authority-data'?: string; 'insecure-skip-tls-verify'?: boolean };
  }[];
  users?: { name: string; user: { token?: string } }[];
}

export async function readKubeconfig(path: string): Promise<Connection> {
  const doc = parse(await readFile(path, 'utf8')) as KubeconfigFile;
  const contextName = doc['current-context'];
  const context = doc.contexts?.find((c) => c.name === contextName)?.context ?? doc.contexts?.[0]?.context;
  const cluster =
    doc.clusters?.find((c) => c.name === context?.cluster)?.cluster ?? doc.clusters?.[0]?.cluster;
  if (!cluster?.server) throw new BorealisError('BadRequest', `kubeconfig ${path} names no cluster server`);
  const user = doc.users?.find((u) => u.name === context?.user)?.user ?? doc.users?.[0]?.user;
  const caData = cluster['certificate-authority-data'];
  return {
    server: cluster.server,
    ...(user?.token ? { token: user.token } : {}),
    ...(caData ? { ca: Buffer.from(caData, 'base64').toString('utf8') } : {}),
    ...(cluster['insecure-skip-tls-verify'] ? { insecureSkipTlsVerify: true } : {}),
  };
}
