export type {
  ExecOptions,
  ExecResult,
  FailureReason,
  StreamHandle,
  StreamOptions,
  Transport,
  TransportFailure,
} from './types';
export { SshTransport, type SshEndpoint, type SshTransportOptions } from './ssh-transport';
export { LocalTransport, type LocalTransportOptions } from './local-transport';
export { ReplayTransport, type Recording } from './replay-transport';
export { RecordingTransport } from './recording-transport';
export { createTransport, createSshTransport, createJumpTransport, type TransportOptions } from './create-transport';
export { TransportPool, type PoolOptions } from './transport-pool';
export { TeeTransport } from './tee-transport';
export { quoteArgv, quoteShell, quoteWord } from './quote-shell';
export { parseKnownHosts, verifyHostKey, fingerprintKey, type KnownHostEntry, type HostKeyVerdict } from './known-hosts';
export { inNamespace } from './in-namespace';
