#!/usr/bin/python3
"""A star of N hosts on one Open vSwitch userspace bridge, built the pyroute2 way (Debian python3-pyroute2), in ONE process.

Namespaces (pyroute2.netns.create), veth pairs created in the switch's namespace with the inner end placed directly in
its host's namespace, addrgenmode none and link up on both ends, the address: all rtnetlink through pyroute2 sockets
(one NetNS socket per namespace). pyroute2 has no Open vSwitch support, so the bridge and all ports are ONE ovs-vsctl
transaction, as in the hand-optimised script. Build ends when host 1 reaches host N (one ping a second until it
answers; prints 'retries=K'); teardown ends when the switch-side veth ends are gone.
usage: star-pyroute2.py build|teardown N PREFIX SWITCH_NAMESPACE OVS_SOCKET
"""
import subprocess
import sys
import time

from pyroute2 import NetNS, netns

NO_LINK_LOCAL = {'attrs': [['AF_INET6', {'attrs': [['IFLA_INET6_ADDR_GEN_MODE', 1]]}]]}  # IN6_ADDR_GEN_MODE_NONE


def addr(i):
    return f'10.0.{i // 250}.{i % 250 + 1}'


def build(n, p, sw, db):
    names = [f'{p}{i}' for i in range(1, n + 1)]
    for name in names:
        netns.create(name)
    with NetNS(sw) as switch:
        for name in names:
            switch.link('add', ifname=f'v{name}', kind='veth', peer={'ifname': 'eth0', 'net_ns_fd': name})
        for name in names:
            idx = switch.link_lookup(ifname=f'v{name}')[0]
            switch.link('set', index=idx, IFLA_AF_SPEC=NO_LINK_LOCAL)
            switch.link('set', index=idx, state='up')
    args = ['ovs-vsctl', '--timeout=600', f'--db=unix:{db}', '--', 'add-br', f'{p}br', '--', 'set', 'bridge', f'{p}br', 'datapath_type=netdev']
    for name in names:
        args += ['--', 'add-port', f'{p}br', f'v{name}']
    subprocess.run(args, check=True)
    for i, name in enumerate(names, start=1):
        with NetNS(name) as host:
            lo = host.link_lookup(ifname='lo')[0]
            host.link('set', index=lo, state='up')
            eth = host.link_lookup(ifname='eth0')[0]
            host.link('set', index=eth, IFLA_AF_SPEC=NO_LINK_LOCAL)
            host.link('set', index=eth, state='up')
            host.addr('add', index=eth, address=addr(i), prefixlen=16)
    retries = 0
    while subprocess.run(['ip', 'netns', 'exec', names[0], 'ping', '-c', '1', '-W', '1', addr(n)], stdout=subprocess.DEVNULL).returncode != 0:
        retries += 1
        if retries >= 120:
            sys.exit(f'host 1 did not reach host {n}')
    print(f'retries={retries}')


def teardown(n, p, sw, db):
    subprocess.run(['ovs-vsctl', '--timeout=600', f'--db=unix:{db}', 'del-br', f'{p}br'], check=True)
    for i in range(1, n + 1):
        netns.remove(f'{p}{i}')
    # The kernel deletes the namespaces' veth pairs asynchronously: wait until the switch-side ends are gone.
    with NetNS(sw) as switch:
        while any(link.get_attr('IFLA_IFNAME').startswith(f'v{p}') for link in switch.get_links()):
            time.sleep(0.005)


if __name__ == '__main__':
    op, n, prefix, sw_ns, socket = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    (build if op == 'build' else teardown)(n, prefix, sw_ns, socket)
