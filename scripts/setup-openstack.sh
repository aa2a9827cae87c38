#!/usr/bin/env bash
# Installs Debian 12's OpenStack Zed for the real-Neutron lab engine (issue 16), run as root by
# `scripts/setup.sh --with-openstack`. The packages must NOT configure or start anything: the engine
# starts every daemon by hand in its own directories and stops it by pid (docs/real-engine.md).
#  - debconf preseeds answer dbconfig-common / endpoint / rabbit questions with "no";
#  - a policy-rc.d that refuses every start keeps invoke-rc.d from starting services (no systemd here);
#    an existing policy-rc.d is left as it is, ours is removed again at the end.
# Idempotent: packages already present are not reinstalled.
set -euo pipefail

OS_PACKAGES=(
  mariadb-server python3-pymysql     # the lab's databases (keystone_hpn, neutron_hpn), grants on 127.0.0.1
  rabbitmq-server                    # oslo.messaging between neutron-server and the agents
  keystone                           # identity, run under uwsgi by the engine (uwsgi-plugin-python3 comes with it)
  neutron-server neutron-plugin-ml2  # ML2/OVS + l2population + router service plugin
  neutron-openvswitch-agent neutron-l3-agent  # the real agents, one set per lab node
  python3-openstackclient            # `openstack --os-cloud` against the lab's clouds.yaml
  ethtool                            # tx checksum offload off on veths (userspace datapath drops TCP otherwise)
  haproxy                            # the L3 agent's metadata proxy per router (and its REDIRECT rule)
  conntrack radvd                    # neutron's l3 agent calls conntrack; radvd for IPv6 subnets
  ovn-central ovn-host               # the ML2/OVN lab (issue 11): NB/SB ovsdb + ovn-northd, ovn-controller per chassis
  # (neutron-ovn-metadata-agent, the binary, comes with neutron-common; tcpdump with scripts/setup.sh)
)

missing=()
for p in "${OS_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then echo "setup-openstack: all packages present"; exit 0; fi

debconf-set-selections <<'SEL'
keystone keystone/configure_db boolean false
keystone keystone/register-endpoint boolean false
keystone keystone/create-admin-tenant boolean false
keystone keystone/configure_ssl boolean false
neutron-common neutron/configure_db boolean false
neutron-common neutron/configure_rabbit boolean false
neutron-common neutron/configure_ksat boolean false
neutron-common neutron/register-endpoint boolean false
neutron-server neutron/register-endpoint boolean false
neutron-server neutron/configure_db boolean false
neutron-l3-agent neutron/configure_ksat boolean false
neutron-plugin-ml2 neutron/configure_db boolean false
SEL

ours=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\n# haprobe setup-openstack: packages must not start services\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  ours=1
fi
trap '[ "$ours" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT

echo "setup-openstack: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup-openstack: done"
