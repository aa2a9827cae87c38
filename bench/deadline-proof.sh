#!/bin/sh
# issue 10 lab proof of the per-node deadline (docs/scale.md): run from the repo root, built, as root:
#   flock /tmp/haprobe-lab.lock sh bench/deadline-proof.sh
# Brings a neutron-dvr lab up, stops (SIGSTOP, by pid) cmp2's sshd, then net1's ovs-vswitchd, runs haprobe with
# --node-deadline each time, shows wall, exit code, the finding and what is left, and brings the lab down.
cd "$(dirname "$0")/.." && mkdir -p /tmp/haprobe-deadline-proof
H="node dist/src/cli/bin.js"
S=/var/tmp/haprobe-lab
$H lab up --profile neutron-dvr >/tmp/haprobe-deadline-proof/up.log 2>&1 || { echo "up failed"; tail -5 /tmp/haprobe-deadline-proof/up.log; $H lab down; exit 1; }
holder() { node -e "const s=require('$S/lab.json'); console.log(s.nodes['$1'].holderPid)"; }
runit() { t0=$(date +%s.%N); $H run -q -i $S/inventory.yaml -f $S/facts.json -p neutron-dvr "$@" >/tmp/haprobe-deadline-proof/out.txt 2>/tmp/haprobe-deadline-proof/err.txt; rc=$?; t1=$(date +%s.%N); echo "rc=$rc wall=$(awk "BEGIN{printf \"%.2f\", $t1 - $t0}") s"; grep -i "deadline\|unreach\|timeout" /tmp/haprobe-deadline-proof/out.txt /tmp/haprobe-deadline-proof/err.txt | head -6; tail -3 /tmp/haprobe-deadline-proof/out.txt; }
echo "== healthy"; runit --node-deadline 5
HC=$(holder cmp2); echo "holder cmp2 $HC"
SSHD=$(nsenter -t $HC -m -p sh -c 'cat '$S'/nodes/cmp2/sshd.pid')
HOSTPID=$(for p in $(pgrep -x sshd); do grep -q "NSpid:.*[[:space:]]$SSHD\$" /proc/$p/status 2>/dev/null && [ "$(readlink /proc/$p/ns/pid)" = "$(readlink /proc/$HC/ns/pid)" ] && echo $p; done | head -1)
echo "cmp2 sshd listener: ns pid $SSHD host pid $HOSTPID"
kill -STOP $HOSTPID
echo "== cmp2 sshd SIGSTOPped, --node-deadline 5"; runit --node-deadline 5
echo "connections to cmp2 left by haprobe:"; ss -tn state established '( dport = :22 )' | grep -c "$(grep -A3 'name: cmp2' $S/inventory.yaml | grep address | awk '{print $2}')" || true
kill -CONT $HOSTPID
HN=$(holder net1)
echo "== net1 ovs-vswitchd SIGSTOPped (ovs-ofctl hangs in the script), --node-deadline 6"
nsenter -t $HN -m -p sh -c 'kill -STOP $(cat /run/openvswitch/ovs-vswitchd.pid)'
runit --node-deadline 6
echo "script processes left on net1:"; nsenter -t $HN -m -p sh -c 'ps -eo pid,stat,args | grep -v "ps -eo" | grep -E "ovs-ofctl|sh -s|haprobe" ' || echo none
nsenter -t $HN -m -p sh -c 'kill -CONT $(cat /run/openvswitch/ovs-vswitchd.pid)'
echo "== after SIGCONT"; runit --node-deadline 6
$H lab down >/dev/null 2>&1; echo down rc=$?
