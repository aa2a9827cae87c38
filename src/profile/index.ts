export { loadProfile, listProfiles, type LoadProfileOptions } from './load-profile';
export { profilesDir } from './profiles-dir';
export { mergeProfileDocs, deepMerge } from './merge-profile';
export { validateProfileDoc } from './validate-profile';
export type * from './types';
