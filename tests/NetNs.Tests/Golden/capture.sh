#!/usr/bin/env bash
# Re-captures the ping golden files of this folder from the real tools (run as root; takes a few seconds).
# Builds a small lab of its own (namespaces gold1/gold2, links gold-*), captures, and removes it again.
set -euo pipefail
cd "$(dirname "$0")"
A=gold1 B=gold2
cleanup() { ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true; ip link del gold-root 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $A; ip netns add $B
ip netns set $A auto; ip netns set $B auto
# veth gold-in (in A) <-> gold-root (root), MTU 1400 on both ends
ip link add name gold-in mtu 1400 netns $A type veth peer name gold-root mtu 1400
# veth gold-x (in A) <-> gold-y (in B)
ip link add name gold-x netns $A type veth peer name gold-y netns $B
# veth pair with both ends in A, one end enslaved to a Linux bridge
ip -n $A link add name gold-p type veth peer name gold-q
ip -n $A link add name gold-br type bridge
ip -n $A link set gold-q master gold-br
ip -n $A link set dev gold-x address 02:00:00:00:00:0a
ip -n $B link set dev gold-y address 02:00:00:00:00:0b
ip -n $A link set lo up; ip -n $A link set gold-x up; ip -n $A link set gold-in up
ip -n $B link set lo up; ip -n $B link set gold-y up
ip -n $A address add 10.0.0.1/24 dev gold-x
ip -n $A address add fd00::1/64 dev gold-x
ip -n $B address add 10.0.0.2/24 dev gold-y
sleep 2   # let IPv6 DAD finish and link-local addresses appear
ip netns exec $A ping -n -q -c 3 -W 1 -i 0.2 -- 10.0.0.2 > ping-success.stdout.txt 2> ping-success.stderr.txt || true
ip netns exec $A ping -n -q -c 2 -W 1 -i 0.2 -- 10.0.0.99 > ping-loss.stdout.txt 2> ping-loss.stderr.txt || true
ip netns exec $A ping -n -q -c 1 -W 1 -i 0.2 -- 10.9.9.9 > ping-unreachable.stdout.txt 2> ping-unreachable.stderr.txt || true
