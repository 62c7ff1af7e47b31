/**
 * What `borealis server` needs to be usable at once: a serving certificate (kubectl sends bearer
 * tokens only over TLS), an admin token, and a kubeconfig that uses both. Everything is kept in
 * the data dir and reused on restart, so existing kubeconfigs keep working.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { ADMIN_GROUP } from './auth.js';

const run = promisify(execFile);

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export interface ServingCert {
  readonly cert: string;
  readonly key: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost (made with the openssl CLI once). */
export async function ensureServingCert(dir: string): Promise<ServingCert> {
  const certFile = join(dir, 'apiserver.crt');
  const keyFile = join(dir, 'apiserver.key');
  if (!(await exists(certFile)) || !(await exists(keyFile))) {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '3650',
      '-subj',
      '/CN=borealis-apiserver',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
  }
  return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
}

/** The admin token: the first system:masters line of `tokenFile`, or a new file with one. */
export async function ensureAdminToken(tokenFile: string, create: boolean): Promise<string> {
  if (await exists(tokenFile)) {
    for (const line of (await readFile(tokenFile, 'utf8')).split('\n')) {
      if (line.includes(ADMIN_GROUP)) return line.split(',')[0]?.trim() ?? '';
    }
    throw new Error(`${tokenFile} has no ${ADMIN_GROUP} token to put in the kubeconfig`);
  }
  if (!create) throw new Error(`token file ${tokenFile} does not exist`);
  const token = randomBytes(24).toString('hex');
  await writeFile(tokenFile, `${token},admin,admin,"${ADMIN_GROUP}"\n`, { mode: 0o600 });
  return token;
}

export async function writeKubeconfig(
  path: string,
  server: string,
  token: string,
  caCert: string | undefined,
): Promise<void> {
  const cluster: Record<string, string> = { server };
  if (caCert !== undefined) cluster['certificate-authority-data'] = Buffer.from(caCert).toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'borealis', cluster }],
    users: [{ name: 'borealis-admin', user: { token } }],
    contexts: [
      { name: 'borealis', context: { cluster: 'borealis', user: 'borealis-admin', namespace: 'default' } },
    ],
    'current-context': 'borealis',
  };
  await writeFile(path, stringify(config), { mode: 0o600 });
}
