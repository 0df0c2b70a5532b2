# DHCP state that never collides, a release that keeps what was there before, -WhatIf that passes an object on, and one
# -Namespace rule for the Get- cmdlets of what NetNs started. Real namespaces, dnsmasq and dhclient over plain veth pairs.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:p = New-TestName 'dr'
    # (p-x, y) and (p, x-y): with '-' as separator both state directories were "p-x-y".
    $script:nsA = "$p-x"; $script:nsB = $p; $script:cl = "${p}c"
    New-NetNamespace $nsA, $nsB, $cl | Out-Null
    Add-VethPair -Namespace $nsA -Name y -PeerNamespace $cl -PeerName ca | Out-Null
    Add-VethPair -Namespace $nsB -Name x-y -PeerNamespace $cl -PeerName cb | Out-Null
    Set-NetLink -Namespace $nsA -Name lo, y -Up; Set-NetLink -Namespace $nsB -Name lo, x-y -Up; Set-NetLink -Namespace $cl -Name lo, ca, cb -Up
    Add-NetAddress -Namespace $nsA -Name y 10.131.0.1/24 | Out-Null
    Add-NetAddress -Namespace $nsB -Name x-y 10.132.0.1/24 | Out-Null
}

AfterAll {
    Get-NetDhcpClientLease -Namespace $cl -ErrorAction SilentlyContinue | Remove-NetDhcpClientLease -ErrorAction SilentlyContinue
    foreach ($n in $nsA, $nsB) { Get-NetDhcpServer -Namespace $n -ErrorAction SilentlyContinue | Stop-NetDhcpServer -ErrorAction SilentlyContinue }
    Remove-TestNamespace $nsA, $nsB, $cl
}

Describe 'DHCP state and rules' {
    It 'keeps two servers apart whose names joined with - would be the same' {
        $a = Start-NetDhcpServer -Namespace $nsA -Interface y -Range 10.131.0.100, 10.131.0.110 -Router 10.131.0.1
        $b = Start-NetDhcpServer -Namespace $nsB -Interface x-y -Range 10.132.0.100, 10.132.0.110
        $a.Directory | Should -Not -Be $b.Directory
        $a.Directory | Should -Be "/run/netns-ps/dhcp/${nsA}:y"
        @(@(Get-NetDhcpServer -Namespace $nsA) + @(Get-NetDhcpServer -Namespace $nsB) | Where-Object Running).Count | Should -Be 2
        Stop-NetDhcpServer -Namespace $nsB -Interface x-y
        (Get-NetDhcpServer -Namespace $nsA).Running | Should -BeTrue
        Test-Path "/run/netns-ps/dhcp/${nsA}:y/dnsmasq.pid" | Should -BeTrue
        $script:b = Start-NetDhcpServer -Namespace $nsB -Interface x-y -Range 10.132.0.100, 10.132.0.110
    }

    It 'Request-NetDhcpClientLease -WhatIf passes on the lease it would ask for, and runs nothing' {
        $w = Request-NetDhcpClientLease -Namespace $cl -Interface ca -WhatIf
        $w.Exists | Should -BeFalse
        $w.Namespace | Should -Be $cl
        $w.Interface | Should -Be ca
        $w.Cidr | Should -Be '(planned)'
        @(Get-NetDhcpClientLease -Namespace $cl).Count | Should -Be 0
        @(& ip -n $cl -4 address show dev ca) | Should -BeNullOrEmpty
    }

    It 'a release keeps a default route that was there before the lease' {
        & ip -n $cl route add default dev cb
        $l = Request-NetDhcpClientLease -Namespace $cl -Interface ca -TimeoutSeconds 15
        $l.Router | Should -Be '10.131.0.1'
        # The namespace had a default route: the lease adds none, and its release removes none.
        (& ip -n $cl -4 route show default) | Should -Be 'default dev cb scope link '
        Remove-NetDhcpClientLease -Namespace $cl -Interface ca
        (& ip -n $cl -4 route show default) | Should -Be 'default dev cb scope link '
        & ip -n $cl route del default dev cb
    }

    It 'a release removes the default route the lease itself added' {
        $l = Request-NetDhcpClientLease -Namespace $cl -Interface ca -TimeoutSeconds 15
        (& ip -n $cl -4 route show default) | Should -Be 'default via 10.131.0.1 dev ca '
        Remove-NetDhcpClientLease -Namespace $cl -Interface ca
        @(& ip -n $cl -4 route show default) | Should -BeNullOrEmpty
    }

    It 'Get-NetDhcpLease -Interface without -Namespace looks in every namespace' {
        $l = Request-NetDhcpClientLease -Namespace $cl -Interface cb -TimeoutSeconds 15
        $leases = @(Get-NetDhcpLease -Interface x-y)
        $leases.Count | Should -Be 1
        $leases[0].Namespace | Should -Be $nsB
        $leases[0].IPAddress | Should -Be $l.Address
        @(Get-NetDhcpLease -Namespace '' -Interface x-y -ErrorVariable ev -ErrorAction SilentlyContinue).Count | Should -Be 0
        Assert-NetNsError $ev 'DhcpServerNotFound' 'ObjectNotFound'
        (Get-NetDhcpServerLog -Interface x-y) -join "`n" | Should -Match 'DHCPACK'
        Remove-NetDhcpClientLease -Namespace $cl -Interface cb
    }
}
