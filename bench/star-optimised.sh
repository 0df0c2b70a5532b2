#!/usr/bin/env bash
# A star of N hosts on one Open vSwitch userspace bridge, as a careful engineer writes it by hand:
#   one 'ip -batch' for all namespaces and veth pairs (inner end created in its namespace, switch end in the switch's),
#   one 'ip -n SW -batch' for the switch ends, ONE ovs-vsctl transaction for the bridge and all ports (no fixed short
#   timeout: ovs-vswitchd needs seconds for 1,000 ports), and the per-namespace 'ip -n NS -batch' processes run in
#   parallel (as many at once as there are cores, times 4). Links get no IPv6 link-local address (addrgenmode none):
#   an IPv4 lab does not need one, and 1,000 of them flood the userspace switch with DAD/RS/MLD multicast.
# Build ends when host 1 reaches host N: one ping a second (-W 1) until it answers; prints 'retries=K' (K failed pings).
# usage: star-optimised.sh build|teardown N PREFIX SWITCH_NAMESPACE OVS_SOCKET
set -euo pipefail
op=$1 n=$2 p=$3 sw=$4 db=$5
addr() { printf '10.0.%d.%d' $(($1 / 250)) $(($1 % 250 + 1)); }
if [ "$op" = build ]; then
  {
    for i in $(seq 1 "$n"); do echo "netns add $p$i"; done
    for i in $(seq 1 "$n"); do echo "link add name eth0 netns $p$i type veth peer name v$p$i netns $sw"; done
  } | ip -batch -
  for i in $(seq 1 "$n"); do printf 'link set dev v%s addrgenmode none\nlink set dev v%s up\n' "$p$i" "$p$i"; done | ip -n "$sw" -batch -
  args=(--timeout=600 "--db=unix:$db" -- add-br "${p}br" -- set bridge "${p}br" datapath_type=netdev)
  for i in $(seq 1 "$n"); do args+=(-- add-port "${p}br" "v$p$i"); done
  ovs-vsctl "${args[@]}"
  jobs=$(( $(nproc) * 4 ))
  for i in $(seq 1 "$n"); do
    printf 'link set dev lo up\nlink set dev eth0 addrgenmode none\nlink set dev eth0 up\naddress add %s/16 dev eth0\n' "$(addr "$i")" | ip -n "$p$i" -batch - &
    if (( i % jobs == 0 )); then wait; fi
  done
  wait
  retries=0
  until ip netns exec "${p}1" ping -c 1 -W 1 "$(addr "$n")" > /dev/null; do
    retries=$((retries + 1))
    if (( retries >= 120 )); then echo "host 1 did not reach host $n" >&2; exit 1; fi
  done
  echo "retries=$retries"
else
  ovs-vsctl --timeout=600 "--db=unix:$db" del-br "${p}br"
  for i in $(seq 1 "$n"); do echo "netns del $p$i"; done | ip -batch -
  # 'ip netns del' returns before the kernel has deleted the namespaces' veth pairs (that clean-up runs asynchronously).
  # Wait until the switch-side ends are gone, so the names can be used again at once (Remove-NetLab waits for this too).
  while ip -n "$sw" -o link show | grep -qE ": v$p[0-9]+[@:]"; do sleep 0.005; done
fi
