# NAT to the outside (Enable-/Get-/Disable-NetNamespaceNat) on the real kernel and real nftables. The "outside" is an
# upstream namespace this file creates, joined to the root namespace by a veth pair: no packet leaves the machine. The
# upstream counts, with its own nftables counters, which source addresses reach it. A hand-made nftables table in the
# root namespace must stay untouched; the root's net.ipv4.ip_forward must be what it was when the last NAT is gone.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:h = New-TestName 'nh'
    $script:u = New-TestName 'nu'
    $script:ru = New-TestName 'nr'
    $script:handTable = 'nattest_' + (New-TestName 'h')
    $script:forwardBefore = (Get-Content /proc/sys/net/ipv4/ip_forward).Trim()
    New-NetNamespace $h, $u -ErrorAction Stop | Out-Null
    # The upstream: 198.18.77.2/24 behind the root's 198.18.77.1/24.
    Add-VethPair -Name $ru -PeerName eth0 -PeerNamespace $u -ErrorAction Stop | Out-Null
    Set-NetLink $ru -Up -ErrorAction Stop
    Get-NetLink -Namespace $u | Set-NetLink -Up -ErrorAction Stop
    Add-NetAddress -Name $ru 198.18.77.1/24 -ErrorAction Stop | Out-Null
    Add-NetAddress -Name eth0 -Namespace $u 198.18.77.2/24 -ErrorAction Stop | Out-Null
    Get-NetLink -Namespace $h | Set-NetLink -Up -ErrorAction Stop
    # Counters in the upstream: echo requests by source address.
    $count = "table ip seen {`n chain input {`n type filter hook input priority 0; policy accept;`n ip saddr 198.18.77.1 icmp type echo-request counter comment ""host""`n ip saddr 100.127.0.0/16 icmp type echo-request counter comment ""untranslated""`n }`n}`n"
    $count | & ip netns exec $u nft -f -
    # A table of someone else's in the root namespace.
    "table ip $handTable {`n chain c {`n }`n}`n" | & nft -f -
    function Invoke-ChildPwsh([string] $Script) {
        $exe = [Environment]::ProcessPath
        $pre = @()
        if ((Split-Path -Leaf $exe) -ne 'pwsh') { $pre = @(Join-Path $PSHOME 'pwsh.dll') }
        (& $exe @pre -NoProfile -NonInteractive -Command "Import-Module '$script:NetNsModule'; $Script" 2>&1 | Out-String)
    }
    function Get-Seen([string] $Comment) {
        $rules = (& ip netns exec $u nft -j list table ip seen | ConvertFrom-Json).nftables | Where-Object { $_.rule } | ForEach-Object { $_.rule }
        (($rules | Where-Object comment -eq $Comment).expr | Where-Object { $_.counter }).counter.packets
    }
}

AfterAll {
    Disable-NetNamespaceNat $h -Confirm:$false -ErrorAction SilentlyContinue
    Remove-TestNamespace $h, $u
    Remove-TestLink $ru
    & nft delete table ip $handTable 2>$null
}

Describe 'Enable-NetNamespaceNat' {
    It 'gives the namespace a link, a default route via the host and masquerade in NetNs''s own table' {
        $nat = Enable-NetNamespaceNat $h -ErrorAction Stop
        $nat.Namespace | Should -Be $h
        $nat.Interface | Should -Be 'nat0'
        $nat.Address | Should -BeLike '100.127.*/30'
        $nat.HostInterface | Should -BeLike 'nsnat*'
        (Get-NetNamespaceNat $h).HostInterface | Should -Be $nat.HostInterface
        $route = Get-NetNsRoute -Namespace $h -Destination default -Family IPv4
        $route.Gateway | Should -Be $nat.Gateway
        $route.Interface | Should -Be 'nat0'
        (Get-Content /proc/sys/net/ipv4/ip_forward).Trim() | Should -Be '1'
        $t = (& nft -j list table ip netns_ps_nat | ConvertFrom-Json).nftables
        @($t | Where-Object { $_.rule } | ForEach-Object { $_.rule.comment }) | Should -Contain "netns-ps nat $h"
        (& ip netns exec $h nft -j list table ip netns_ps_nat | ConvertFrom-Json).nftables | Where-Object { $_.rule } | Should -Not -BeNullOrEmpty
    }

    It 'reaches the upstream, which sees the translated source address' {
        (Test-NetNamespaceConnection $h 198.18.77.2 -Count 2 -TimeoutSeconds 2).Success | Should -BeTrue
        Get-Seen 'host' | Should -BeGreaterOrEqual 1
        Get-Seen 'untranslated' | Should -Be 0
    }

    It 'refuses a second NAT, a namespace with a default route, and a bad subnet' {
        Enable-NetNamespaceNat $h -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'NatExists' 'ResourceExists'
        Enable-NetNamespaceNat $u -Subnet 10.0.0.1/24 -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'InvalidNatSubnet' 'InvalidArgument'
        Add-NetNsRoute -Namespace $u default 198.18.77.1 -ErrorAction Stop | Out-Null
        Enable-NetNamespaceNat $u -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'DefaultRouteExists' 'ResourceExists'
        Remove-NetNsRoute -Namespace $u default -Confirm:$false -ErrorAction Stop
        @(Get-NetNamespaceNat).Namespace | Should -Not -Contain $u
        Enable-NetNamespaceNat 'nosuchns-nat' -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'NamespaceNotFound' 'ObjectNotFound'
    }

    It 'previews with -WhatIf: the veth, the addresses, the route and the nft batches' {
        $w = Invoke-ChildPwsh "Enable-NetNamespaceNat $u -WhatIf"
        $w | Should -Match 'nft -f -'
        $w | Should -Match ([regex]::Escape("ip -n $u route add default via"))
        @(Get-NetNamespaceNat).Namespace | Should -Not -Contain $u
    }
}

Describe 'Disable-NetNamespaceNat' {
    It 'removes exactly what NetNs made and restores the host setting' {
        $nat = Get-NetNamespaceNat $h
        Disable-NetNamespaceNat $h -Confirm:$false -ErrorAction Stop
        & nft list table ip netns_ps_nat 2>$null | Should -BeNullOrEmpty
        & ip netns exec $h nft list table ip netns_ps_nat 2>$null | Should -BeNullOrEmpty
        & ip link show dev $nat.HostInterface 2>$null | Should -BeNullOrEmpty
        @(Get-NetNsRoute -Namespace $h -Destination default).Count | Should -Be 0
        @(Get-NetNamespaceNat).Namespace | Should -Not -Contain $h
        Test-Path "/run/netns-ps/nat/$h.json" | Should -BeFalse
        (Get-Content /proc/sys/net/ipv4/ip_forward).Trim() | Should -Be $forwardBefore
        & nft list table ip $handTable | Should -Not -BeNullOrEmpty
    }

    It 'writes NatNotFound for a namespace without NAT' {
        Disable-NetNamespaceNat $h -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'NatNotFound' 'ObjectNotFound'
    }

    It 'Remove-NetNamespace takes the NAT of the namespace with it' {
        $x = New-TestName 'nx'
        New-NetNamespace $x -ErrorAction Stop | Out-Null
        try {
            $nat = Enable-NetNamespaceNat $x -ErrorAction Stop
            Remove-NetNamespace $x -Force -Confirm:$false -ErrorAction Stop
            @(Get-NetNamespaceNat).Namespace | Should -Not -Contain $x
            & ip link show dev $nat.HostInterface 2>$null | Should -BeNullOrEmpty
            & nft list table ip netns_ps_nat 2>$null | Should -BeNullOrEmpty
            (Get-Content /proc/sys/net/ipv4/ip_forward).Trim() | Should -Be $forwardBefore
        } finally {
            Remove-TestNamespace $x
        }
    }

    It 'never takes over a table of that name it did not create' {
        "table ip netns_ps_nat {`n chain c {`n }`n}`n" | & nft -f -
        try {
            Enable-NetNamespaceNat $h -ErrorVariable e -ErrorAction SilentlyContinue
            Assert-NetNsError $e 'NatTableNotOwned' 'ResourceExists'
            & nft -j list table ip netns_ps_nat | ConvertFrom-Json | ForEach-Object { $_.nftables } | Where-Object { $_.chain } | ForEach-Object { $_.chain.name } | Should -Be 'c'
            @(Get-NetLink -Namespace $h).Name | Should -Not -Contain 'nat0'
        } finally {
            & nft delete table ip netns_ps_nat 2>$null
        }
    }
}
