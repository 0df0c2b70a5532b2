#!/usr/bin/env bash
# A star of N hosts on one Open vSwitch userspace bridge, hand-optimised: one 'ip -batch' for namespaces and veth pairs,
# one 'ip -n NS -batch' per namespace, one ovs-vsctl transaction for the bridge and all ports.
# usage: star-optimised.sh build|teardown N PREFIX SWITCH_NAMESPACE OVS_SOCKET
set -euo pipefail
op=$1 n=$2 p=$3 sw=$4 db=$5
if [ "$op" = build ]; then
  {
    for i in $(seq 1 "$n"); do echo "netns add $p$i"; done
    for i in $(seq 1 "$n"); do echo "link add name eth0 netns $p$i type veth peer name v$p$i netns $sw"; done
  } | ip -batch -
  for i in $(seq 1 "$n"); do echo "link set dev v$p$i up"; done | ip -n "$sw" -batch -
  args=(--timeout=30 "--db=unix:$db" -- add-br "${p}br" -- set bridge "${p}br" datapath_type=netdev)
  for i in $(seq 1 "$n"); do args+=(-- add-port "${p}br" "v$p$i"); done
  ovs-vsctl "${args[@]}"
  for i in $(seq 1 "$n"); do
    printf 'link set dev lo up\nlink set dev eth0 up\naddress add 10.0.%d.%d/16 dev eth0\n' $((i / 250)) $((i % 250 + 1)) | ip -n "$p$i" -batch -
  done
  ip netns exec "${p}1" ping -c 1 -W 2 "10.0.$((n / 250)).$((n % 250 + 1))" > /dev/null
else
  ovs-vsctl --timeout=30 "--db=unix:$db" del-br "${p}br"
  for i in $(seq 1 "$n"); do echo "netns del $p$i"; done | ip -batch -
  # 'ip netns del' returns before the kernel has deleted the namespaces' veth pairs (that clean-up runs asynchronously).
  # Wait until the switch-side ends are gone, so the names can be used again at once (Remove-NetLab waits for this too).
  while ip -n "$sw" -o link show | grep -qE ": v$p[0-9]+[@:]"; do sleep 0.005; done
fi
