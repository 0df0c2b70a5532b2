# Two subnets on two Open vSwitch bridges joined by a router namespace, IPv4 and IPv6; the router reaches what the host
# reaches through NAT (a link nat0 to the root namespace, masquerade in NetNs's nftables table ip netns_ps_nat), and
# the hosts behind it with it.
#   New-NetLab ./examples/routed.lab.psd1
#   Test-NetNamespaceConnection h1 10.2.0.2, fd00:2::2      # across the router
#   Get-NetNsRoute -Namespace h1
#   Export-NetLabDiagram routed -Format Mermaid
#   Remove-NetLab routed
# r1 forwards (Forwarding = $true); h1 and h2 send everything else to it, and it sends what is not in the lab out
# through NAT (Nat = $true). Make r1 a host (Set-NetNamespace r1
# -Forwarding Disabled) or remove h2's default route and h1 no longer reaches h2.
@{
    Name       = 'routed'
    Bridges    = @(
        @{ Name = 'br1'; DatapathType = 'Auto' }
        @{ Name = 'br2'; DatapathType = 'Auto' }
    )
    Namespaces = @(
        @{ Name = 'h1'; Routes = @(@{ Destination = 'default'; Gateway = '10.1.0.1' }, @{ Destination = 'default'; Gateway = 'fd00:1::1' }) }
        @{ Name = 'r1'; Forwarding = $true; Nat = $true }
        @{ Name = 'h2'; Routes = @(@{ Destination = 'default'; Gateway = '10.2.0.1' }, @{ Destination = 'default'; Gateway = 'fd00:2::1' }) }
    )
    Links      = @(
        @{ Namespace = 'h1'; Name = 'eth0'; Address = @('10.1.0.2/24', 'fd00:1::2/64'); Bridge = 'br1'; PeerName = 'p-h1' }
        @{ Namespace = 'r1'; Name = 'eth1'; Address = @('10.1.0.1/24', 'fd00:1::1/64'); Bridge = 'br1'; PeerName = 'p-r1-1' }
        @{ Namespace = 'r1'; Name = 'eth2'; Address = @('10.2.0.1/24', 'fd00:2::1/64'); Bridge = 'br2'; PeerName = 'p-r1-2' }
        @{ Namespace = 'h2'; Name = 'eth0'; Address = @('10.2.0.2/24', 'fd00:2::2/64'); Bridge = 'br2'; PeerName = 'p-h2' }
    )
}
