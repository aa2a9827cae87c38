#!/usr/bin/env bash
# Sets up everything haprobe and its lab need on a fresh Debian 12 machine (run as root):
# the Debian packages the lab and the tests use, the npm dependencies, and the build.
# Idempotent: packages already present are not reinstalled; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# --with-openstack: also install Debian 12's OpenStack Zed for the real-Neutron lab engine
# (`haprobe lab up --engine neutron`, docs/real-engine.md). Without the flag nothing changes.
WITH_OPENSTACK=0
for arg in "$@"; do
  case "$arg" in
    --with-openstack) WITH_OPENSTACK=1 ;;
    *) echo "setup: unknown argument: $arg (known: --with-openstack)" >&2; exit 2 ;;
  esac
done

PACKAGES=(
  openssh-server openssh-client    # one sshd per lab node; ssh for the bench's ssh loop
  iproute2 iptables procps psmisc util-linux  # namespaces, NAT rules, sysctl, nsenter/unshare
  tcpdump                           # live G-ARP capture and the differential decoder test
  sosreport                         # `analyze` tests on real sosreports generated inside lab nodes
  openvswitch-switch                # ovsdb-server + ovs-vswitchd, userspace datapath per node
  keepalived                        # real VRRP for L3 HA and DVR SNAT HA routers
  dnsmasq-base                      # nova-network lab: one dnsmasq per bridge (no system service)
  busybox                           # nova-network lab: httpd as the metadata API on 8775
  haproxy socat ethtool             # neutron-multinic-aa lab: the TCP balancer upstream, its stats socket, veth tx offload off
  iputils-arping iputils-ping       # neutron's arping (sender IP == target IP), ping through DNAT
  sudo                              # sudo -n transport tests
  time                              # the scale bench reads haprobe's peak RSS with /usr/bin/time -f %M
  ansible                           # the bench compares collection against `ansible -m raw`
  chromium                          # the HTML report is rendered headless in a test
  prometheus                        # promtool validates the metrics textfile
  openssl                           # test/openstack makes a throwaway CA for the HTTPS API server
  ca-certificates git
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # the distro's "arping" package conflicts with iputils-arping; neutron uses iputils
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
bash scripts/build-keepalived-1.2.sh || echo "setup: keepalived 1.2.13 not built: lab fault lp1647432 will refuse" >&2
if [ "$WITH_OPENSTACK" = 1 ]; then
  bash scripts/setup-openstack.sh
fi
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npm run build
echo "setup: done"
