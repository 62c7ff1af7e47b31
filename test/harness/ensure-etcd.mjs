#!/usr/bin/env node
// Makes sure a real etcd (Debian package `etcd-server`, etcd 3.4) is on this machine before the
// tests run. Installs it with apt-get when we are root and it is missing; otherwise stops with a
// message that says exactly how to install it.
import { execFileSync, spawnSync } from 'node:child_process';

function etcdVersion() {
  const r = spawnSync('etcd', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

const found = etcdVersion();
if (found) {
  console.log(`ensure-etcd: ${found}`);
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('apt-get', ['--version']).status === 0;
if (!isRoot || !hasApt) {
  console.error(
    'ensure-etcd: the tests need a real etcd and none is installed.\n' +
      'Install it with:  sudo apt-get update && sudo apt-get install -y etcd-server\n' +
      '(or put an etcd 3.4+ binary named `etcd` on PATH), then run the tests again.',
  );
  process.exit(1);
}

console.log('ensure-etcd: etcd is missing; installing the Debian package etcd-server ...');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'etcd-server'], {
    stdio: 'inherit',
    env,
  });
} catch (err) {
  console.error(`ensure-etcd: installing etcd-server failed: ${err.message}`);
  process.exit(1);
}
const installed = etcdVersion();
if (!installed) {
  console.error('ensure-etcd: etcd-server was installed but `etcd --version` still fails; check PATH.');
  process.exit(1);
}
console.log(`ensure-etcd: installed ${installed}`);
