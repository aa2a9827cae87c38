/**
 * argv run inside a named network namespace on the node (`ip netns exec NS …`); the root
 * namespace when `namespace` is undefined or "". The name stays one argv element: quote the
 * result with quoteArgv, never paste it (issue 8).
 */
export function inNamespace(namespace: string | undefined, argv: readonly string[]): string[] {
  return namespace ? ['ip', 'netns', 'exec', namespace, ...argv] : [...argv];
}
