# The NetNs walk-through (README, about_NetNs) as a lab: two namespaces on one Open vSwitch bridge.
#   New-NetLab ./examples/walkthrough.lab.psd1
#   Test-NetLabConnectivity walkthrough
#   Export-NetLabDiagram walkthrough -Format Svg -Path walkthrough.svg
#   Remove-NetLab walkthrough
# Give both ports the same Tag (or none) and ns1 reaches ns2; give them different tags (100 and 200) to isolate them.
@{
    Name       = 'walkthrough'
    Bridges    = @(
        @{ Name = 'br0'; DatapathType = 'Auto' }
    )
    Namespaces = @('ns1', 'ns2')
    Links      = @(
        @{ Namespace = 'ns1'; Name = 'eth1-ns1'; Address = '10.0.0.1/24'; Bridge = 'br0'; PeerName = 'veth-ns1'; Tag = 100 }
        @{ Namespace = 'ns2'; Name = 'eth1-ns2'; Address = '10.0.0.2/24'; Bridge = 'br0'; PeerName = 'veth-ns2'; Tag = 100 }
    )
    # dnsmasq in ns1 hands out 10.0.0.100-10.0.0.150 (Request-NetDhcpClientLease -Namespace ns2 -Interface eth1-ns2 gets one).
    Dhcp       = @(
        @{ Namespace = 'ns1'; Interface = 'eth1-ns1'; RangeStart = '10.0.0.100'; RangeEnd = '10.0.0.150'; LeaseTime = 3600 }
    )
}
