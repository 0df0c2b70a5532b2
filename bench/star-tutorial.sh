#!/usr/bin/env bash
# A star of N hosts on one Open vSwitch userspace bridge, the way tutorials do it: one ip / ovs-vsctl process per step.
# usage: star-tutorial.sh build|teardown N PREFIX SWITCH_NAMESPACE OVS_SOCKET
set -euo pipefail
op=$1 n=$2 p=$3 sw=$4 db=$5
ovs() { ovs-vsctl --timeout=30 --db="unix:$db" "$@"; }
if [ "$op" = build ]; then
  ovs add-br "${p}br" -- set bridge "${p}br" datapath_type=netdev
  for i in $(seq 1 "$n"); do
    ip netns add "$p$i"
    ip -n "$sw" link add "v$p$i" type veth peer name eth0
    ip -n "$sw" link set eth0 netns "$p$i"
    ovs add-port "${p}br" "v$p$i"
    ip -n "$sw" link set "v$p$i" up
    ip -n "$p$i" link set lo up
    ip -n "$p$i" link set eth0 up
    ip -n "$p$i" address add "10.0.$((i / 250)).$((i % 250 + 1))/16" dev eth0
  done
  # Build ends when host 1 reaches host N: one ping a second until it answers; prints 'retries=K' (K failed pings).
  retries=0
  until ip netns exec "${p}1" ping -c 1 -W 1 "10.0.$((n / 250)).$((n % 250 + 1))" > /dev/null; do
    retries=$((retries + 1))
    if (( retries >= 120 )); then echo "host 1 did not reach host $n" >&2; exit 1; fi
  done
  echo "retries=$retries"
else
  for i in $(seq 1 "$n"); do
    ovs del-port "${p}br" "v$p$i"
    ip netns del "$p$i"
  done
  ovs del-br "${p}br"
  # 'ip netns del' returns before the kernel has deleted the namespaces' veth pairs (that clean-up runs asynchronously).
  # Wait until the switch-side ends are gone, so the names can be used again at once (Remove-NetLab waits for this too).
  while ip -n "$sw" -o link show | grep -qE ": v$p[0-9]+[@:]"; do sleep 0.005; done
fi
