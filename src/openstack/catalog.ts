import { ApiError } from './errors';
import type { CatalogService } from './keystone';
import type { EndpointInterface } from './types';

export interface EndpointWanted {
  /** service type: network, identity, compute … */
  type: string;
  interface: EndpointInterface;
  /** region name or id; without one, the catalog must offer exactly one region for the service */
  region?: string;
}

/**
 * The endpoint URL for a service type, interface and region (pure). An ambiguous choice (two
 * regions and none asked) is an error, not a guess: reading the wrong region's routers would
 * judge the nodes against another cloud's intent.
 */
export function selectEndpoint(catalog: CatalogService[], want: EndpointWanted): string {
  const services = catalog.filter((s) => s.type === want.type);
  const describe = `type ${want.type}, interface ${want.interface}${want.region ? `, region ${want.region}` : ''}`;
  if (services.length === 0) {
    throw new ApiError('endpoint', `the service catalog has no "${want.type}" service`, { hint: `catalog types: ${[...new Set(catalog.map((s) => s.type))].join(', ') || 'none'}` });
  }
  const all = services.flatMap((s) => s.endpoints);
  const byIface = all.filter((e) => e.interface === want.interface);
  const inRegion = want.region ? byIface.filter((e) => e.region === want.region || e.regionId === want.region) : byIface;
  const regions = [...new Set(inRegion.map((e) => e.regionId ?? e.region ?? ''))];
  if (inRegion.length === 0) {
    const offered = all.map((e) => `${e.interface}@${e.regionId ?? e.region ?? '?'}`).join(', ');
    throw new ApiError('endpoint', `no endpoint for ${describe}`, { hint: `the catalog offers ${offered || 'no endpoint'} (set interface / region_name)` });
  }
  if (regions.length > 1) {
    throw new ApiError('endpoint', `${describe}: endpoints in several regions (${regions.join(', ')})`, { hint: 'set region_name in clouds.yaml or OS_REGION_NAME' });
  }
  return inRegion[0].url;
}
