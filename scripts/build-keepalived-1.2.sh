#!/usr/bin/env bash
# Builds keepalived 1.2.13 (RHEL 7's keepalived in the Newton/Ocata era) into
# /usr/local/lib/haprobe/keepalived-1.2.13, for lab fault lp1647432 (ground-truth §7 #8): the
# SIGHUP storm that made a primary stop advertising needs that keepalived; 2.x survives it.
# Only the lab uses it (the fault restarts the router's keepalived with it, the heal restarts
# Debian's). Idempotent: nothing is done when the binary exists. The source comes from the upstream git
# tag; where that is not reachable the script says so and exits 1 (setup carries on, the lp1647432 suite
# is skipped with that reason). Build packages (gcc, make, libssl-dev) are installed only once the source is here.
set -euo pipefail
OUT=/usr/local/lib/haprobe/keepalived-1.2.13
[ -x "$OUT" ] && { echo "build-keepalived-1.2: $OUT exists"; exit 0; }
SRC=$(mktemp -d)
trap 'rm -rf "$SRC"' EXIT
if ! timeout 60 git clone -q --depth 1 --branch v1.2.13 https://github.com/acassen/keepalived.git "$SRC/keepalived"; then
  echo "build-keepalived-1.2: cannot fetch keepalived v1.2.13 from github.com" >&2
  exit 1
fi
need=()
for p in gcc make libssl-dev; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
[ "${#need[@]}" -eq 0 ] || apt-get install -y -q --no-install-recommends "${need[@]}"
cd "$SRC/keepalived"
# gcc ≥ 10 defaults to -fno-common, which 2014's globals in headers do not link with
./configure -q --disable-lvs --disable-snmp CFLAGS="-fcommon -O1 -w" >/dev/null
make -s -j2 >/dev/null
install -D -m 0755 bin/keepalived "$OUT"
echo "build-keepalived-1.2: installed $OUT"
