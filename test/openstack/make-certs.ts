import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestPki {
  dir: string;
  /** the CA that signed the server certificate */
  caFile: string;
  /** another CA, unrelated to the server certificate */
  wrongCaFile: string;
  key: Buffer;
  cert: Buffer;
}

function makeCa(dir: string, name: string): { key: string; cert: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { stdio: 'pipe' });
  return { key, cert };
}

/**
 * a throwaway PKI made with openssl: a CA, a server cert for 127.0.0.1/localhost it signed, and a
 * wrong CA. Its files (private keys among them) go when the test process exits.
 */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'haprobe-pki-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const ca = makeCa(dir, 'test-ca');
  const wrong = makeCa(dir, 'wrong-ca');
  const key = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const cert = path.join(dir, 'server.pem');
  const ext = path.join(dir, 'server.ext');
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1'], { stdio: 'pipe' });
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext], { stdio: 'pipe' });
  return { dir, caFile: ca.cert, wrongCaFile: wrong.cert, key: readFileSync(key), cert: readFileSync(cert) };
}
