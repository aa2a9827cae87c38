import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HaMode } from '../../model/facts';
import { HaprobeError } from '../../errors';
import { waitFor } from '../ha-state';
import { runArgv } from '../shell';
import { NLAB_NET, PASSWORD, type NeutronLabPaths } from './names';
import {
  KEYSTONE_URL, NEUTRON_URL, renderDbSql, renderKeystoneConf, renderKeystoneUwsgi, renderMl2Conf, renderServerConf,
} from './render-config';
import { spawnDaemon, type HostProcess } from './spawn';

/**
 * The control plane on the host side of hq-mgmt, every daemon started by hand (Debian's packages
 * start nothing: policy-rc.d) with the lab's own data dirs and ports, tracked by pid:
 * MariaDB (own datadir, 127.0.0.1:3307), RabbitMQ (own epmd port, node name, mnesia dir),
 * Keystone under uwsgi, neutron-server (ML2/OVS + l2population, router plugin).
 * Every wait polls real state (a query answers, an HTTP endpoint answers), generous deadlines:
 * the machine is shared.
 */
export interface ControlHooks {
  /** record a started process at once (lab.json), so a failed `up` can still stop it */
  started(p: HostProcess): void;
  progress?(msg: string): void;
}

const EPMD_PORT = '4371';
const RABBIT_NODE = 'hpnlab@localhost';

function rabbitEnv(p: NeutronLabPaths): Record<string, string> {
  return {
    HOME: p.rabbitDir, RABBITMQ_NODENAME: RABBIT_NODE, RABBITMQ_NODE_IP_ADDRESS: NLAB_NET.mgmtHost, RABBITMQ_NODE_PORT: String(NLAB_NET.rabbitPort),
    RABBITMQ_DIST_PORT: String(NLAB_NET.rabbitPort + 20000), ERL_EPMD_PORT: EPMD_PORT, ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_MNESIA_BASE: path.join(p.rabbitDir, 'mnesia'), RABBITMQ_LOG_BASE: p.logDir, RABBITMQ_LOGS: path.join(p.logDir, 'rabbit.log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(p.rabbitDir, 'enabled_plugins'), RABBITMQ_CONFIG_FILE: path.join(p.rabbitDir, 'rabbitmq'),
    RABBITMQ_PID_FILE: path.join(p.rabbitDir, 'rabbit.pid'), RABBITMQ_CONF_ENV_FILE: path.join(p.rabbitDir, 'rabbitmq-env.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(p.rabbitDir, 'advanced.config'),
  };
}

async function must(argv: string[], what: string, stdin = '', timeoutMs = 600_000, env?: Record<string, string>): Promise<string> {
  const res = env
    ? await runWithEnv(argv, stdin, timeoutMs, env)
    : await runArgv(argv, stdin, timeoutMs);
  if (res.code !== 0) {
    throw new HaprobeError('lab', `${what} failed (exit ${String(res.code)}): ${res.stderr.trim().split('\n').slice(-4).join(' | ')}`);
  }
  return res.stdout;
}

function runWithEnv(argv: string[], stdin: string, timeoutMs: number, env: Record<string, string>): ReturnType<typeof runArgv> {
  return runArgv(['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv], stdin, timeoutMs);
}

async function startMysql(p: NeutronLabPaths, h: ControlHooks): Promise<void> {
  await must(['mariadb-install-db', '--no-defaults', `--datadir=${p.mysqlData}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'],
    'mariadb-install-db');
  h.started(spawnDaemon('mariadbd', [
    '/usr/sbin/mariadbd', '--no-defaults', `--datadir=${p.mysqlData}`, `--socket=${p.mysqlSock}`, `--port=${NLAB_NET.mysqlPort}`,
    '--bind-address=127.0.0.1', '--skip-name-resolve', `--pid-file=${path.join(p.control, 'mariadbd.pid')}`, '--user=root',
    `--log-error=${path.join(p.logDir, 'mariadbd.err')}`, '--innodb-buffer-pool-size=64M', '--performance-schema=OFF', '--max-connections=500',
  ], path.join(p.logDir, 'mariadbd.out')));
  const ok = await waitFor(async () => (await runArgv(['mariadb', '--no-defaults', '-S', p.mysqlSock, '-uroot', '-e', 'SELECT 1'], '', 10_000)).code === 0, 120_000, 300);
  if (!ok) throw new HaprobeError('lab', `MariaDB did not answer on ${p.mysqlSock} within 120 s`);
  await must(['mariadb', '--no-defaults', '-S', p.mysqlSock, '-uroot'], 'creating the lab databases', renderDbSql());
}

async function startRabbit(p: NeutronLabPaths, h: ControlHooks): Promise<void> {
  const env = rabbitEnv(p);
  fs.writeFileSync(env.RABBITMQ_ENABLED_PLUGINS_FILE, '[].\n');
  fs.writeFileSync(`${env.RABBITMQ_CONFIG_FILE}.conf`, 'loopback_users = none\n');
  fs.writeFileSync(env.RABBITMQ_CONF_ENV_FILE, '');
  // our own epmd on its own port, so `down` stops it by pid (erl would start a shared one otherwise)
  h.started(spawnDaemon('epmd', ['epmd', '-port', EPMD_PORT, '-address', '127.0.0.1'], path.join(p.logDir, 'epmd.log'), { HAPROBE_LAB_CONTROL: p.control }));
  h.started(spawnDaemon('rabbitmq-server', ['/usr/lib/rabbitmq/bin/rabbitmq-server'], path.join(p.logDir, 'rabbitmq.out'), env));
  const ctl = (args: string[]): ReturnType<typeof runArgv> => runWithEnv(['/usr/lib/rabbitmq/bin/rabbitmqctl', '-n', RABBIT_NODE, ...args], '', 120_000, env);
  const ok = await waitFor(async () => (await ctl(['await_startup', '--timeout', '30'])).code === 0, 240_000, 1000);
  if (!ok) throw new HaprobeError('lab', 'RabbitMQ did not start within 240 s', { where: path.join(p.logDir, 'rabbitmq.out') });
  await must(['/usr/lib/rabbitmq/bin/rabbitmqctl', '-n', RABBIT_NODE, 'add_user', 'haprobe', PASSWORD], 'rabbitmqctl add_user', '', 120_000, env);
  await must(['/usr/lib/rabbitmq/bin/rabbitmqctl', '-n', RABBIT_NODE, 'set_permissions', 'haprobe', '.*', '.*', '.*'], 'rabbitmqctl set_permissions', '', 120_000, env);
}

async function httpStatus(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(10_000) })).status;
  } catch {
    return 0;
  }
}

async function setupKeystone(p: NeutronLabPaths, h: ControlHooks): Promise<void> {
  fs.writeFileSync(path.join(p.keystoneEtc, 'keystone.conf'), renderKeystoneConf(p));
  fs.writeFileSync(path.join(p.keystoneEtc, 'keystone-uwsgi.ini'), renderKeystoneUwsgi(p));
  const km = (args: string[], what: string): Promise<string> =>
    must(['keystone-manage', '--config-file', path.join(p.keystoneEtc, 'keystone.conf'), ...args], what);
  await km(['db_sync'], 'keystone-manage db_sync');
  await km(['fernet_setup', '--keystone-user', 'root', '--keystone-group', 'root'], 'keystone-manage fernet_setup');
  await km(['credential_setup', '--keystone-user', 'root', '--keystone-group', 'root'], 'keystone-manage credential_setup');
  await km(['bootstrap', '--bootstrap-password', PASSWORD, '--bootstrap-admin-url', KEYSTONE_URL, '--bootstrap-public-url', KEYSTONE_URL,
    '--bootstrap-internal-url', KEYSTONE_URL, '--bootstrap-region-id', 'RegionOne'], 'keystone-manage bootstrap');
  h.started(spawnDaemon('keystone-uwsgi', ['uwsgi', '--ini', path.join(p.keystoneEtc, 'keystone-uwsgi.ini')], path.join(p.logDir, 'keystone-uwsgi.out')));
  const ok = await waitFor(async () => (await httpStatus(KEYSTONE_URL)) === 200, 180_000, 500);
  if (!ok) throw new HaprobeError('lab', `Keystone did not answer on ${KEYSTONE_URL} within 180 s`, { where: path.join(p.logDir, 'keystone.log') });
}

/** service project, neutron user (admin), the network service and its endpoints: Keystone's API, one token */
async function registerNeutron(): Promise<void> {
  const auth = {
    auth: {
      identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: PASSWORD } } },
      scope: { project: { name: 'admin', domain: { name: 'Default' } } },
    },
  };
  const t = await fetch(`${KEYSTONE_URL}/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(auth) });
  if (t.status !== 201) throw new HaprobeError('lab', `keystone admin auth: HTTP ${t.status}`);
  const token = t.headers.get('x-subject-token') ?? '';
  const ks = async (method: string, url: string, body?: unknown): Promise<Record<string, { id: string }[] & { id: string }>> => {
    const r = await fetch(`${KEYSTONE_URL}${url}`, { method, headers: { 'x-auth-token': token, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status >= 300) throw new HaprobeError('lab', `keystone ${method} ${url}: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
    const text = await r.text();
    return text ? JSON.parse(text) : {};
  };
  const project = (await ks('POST', '/projects', { project: { name: 'service', domain_id: 'default' } })).project;
  const user = (await ks('POST', '/users', { user: { name: 'neutron', domain_id: 'default', password: PASSWORD } })).user;
  const admin = (await ks('GET', '/roles?name=admin')).roles[0];
  await ks('PUT', `/projects/${project.id}/users/${user.id}/roles/${admin.id}`);
  const service = (await ks('POST', '/services', { service: { name: 'neutron', type: 'network' } })).service;
  for (const iface of ['public', 'internal', 'admin']) {
    await ks('POST', '/endpoints', { endpoint: { service_id: service.id, interface: iface, url: NEUTRON_URL, region_id: 'RegionOne' } });
  }
}

/** the server's neutron.conf and ml2_conf.ini text; default ML2/OVS (the OVN lab passes its own, issue 11) */
export interface ServerConfs { server: string; ml2: string }

async function setupNeutronDb(p: NeutronLabPaths, mode: HaMode, confs?: ServerConfs): Promise<string[]> {
  const conf = path.join(p.neutronEtc, 'neutron.conf');
  const ml2 = path.join(p.neutronEtc, 'ml2_conf.ini');
  fs.mkdirSync(path.join(p.control, 'neutron-state', 'lock'), { recursive: true });
  fs.writeFileSync(conf, confs?.server ?? renderServerConf(p, mode));
  fs.writeFileSync(ml2, confs?.ml2 ?? renderMl2Conf());
  await must(['neutron-db-manage', '--config-file', conf, '--config-file', ml2, 'upgrade', 'heads'], 'neutron-db-manage upgrade heads');
  return ['--config-file', conf, '--config-file', ml2];
}

export async function startControlPlane(p: NeutronLabPaths, mode: HaMode, h: ControlHooks, confs?: ServerConfs): Promise<void> {
  for (const d of [p.control, p.logDir, p.rabbitDir, p.keystoneEtc, p.neutronEtc]) fs.mkdirSync(d, { recursive: true });
  const say = h.progress ?? ((): void => undefined);
  say('MariaDB + RabbitMQ');
  await Promise.all([startMysql(p, h), startRabbit(p, h)]);
  say('Keystone db_sync + neutron-db-manage upgrade heads');
  const [, serverArgs] = await Promise.all([setupKeystone(p, h).then(registerNeutron), setupNeutronDb(p, mode, confs)]);
  say('neutron-server');
  h.started(spawnDaemon('neutron-server', ['neutron-server', ...serverArgs], path.join(p.logDir, 'neutron-server.out')));
  const ok = await waitFor(async () => (await httpStatus(`${NEUTRON_URL}/`)) === 200, 300_000, 1000);
  if (!ok) throw new HaprobeError('lab', `neutron-server did not answer on ${NEUTRON_URL} within 300 s`, { where: path.join(p.logDir, 'neutron-server.log') });
}
