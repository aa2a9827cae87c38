export { ApiError, isApiError, type ApiFailureReason } from './errors';
export { loadCloudConfig, readCloudEntry, readEnvCloud, cloudsFileCandidates, type CloudLookup } from './clouds-yaml';
export { createSession, joinEndpoint, type ApiSession, type SessionOptions, type RequestOptions } from './session';
export { networkRequest, listNetwork, NETWORK_SERVICE } from './network';
export { selectEndpoint } from './catalog';
export { redactSecrets, REDACTED } from './redact';
export type { CloudConfig, CloudAuth, ApiResponse, HttpMethod } from './types';
export type { Query } from './paginate';
