# Lab links and IPv6 on the real kernel, against a private Open vSwitch (tests/OvsFixture.ps1 -InNamespace): a link without an
# IPv6 address gets no link-local one either (addrgenmode none), both ends; one with an IPv6 address keeps its link-local
# address, and its lab address is added without DAD (usable at once).
BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1
    $script:ovs = Start-TestOvs -InNamespace -Prefix 'lab6ovs'
    $script:p = New-TestName 'l6'
    $script:O = @{ OvsSocket = $ovs.Socket; SwitchNamespace = $ovs.Namespace }
    function Get-Inet6([string] $Namespace, [string] $Link) {
        $a = @('-j'); if ($Namespace) { $a += @('-n', $Namespace) }
        @((& ip @a -6 address show dev $Link | ConvertFrom-Json).addr_info)
    }
}

AfterAll {
    foreach ($l in @(Get-NetLab -ErrorAction SilentlyContinue | Where-Object Name -like "$p*")) { Remove-NetLab -Name $l.Name -Confirm:$false -ErrorAction SilentlyContinue }
    Clear-NetLab -Name "$p*" -OvsSocket $ovs.Socket -SwitchNamespace $ovs.Namespace -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
    Stop-TestOvs $ovs
}

Describe 'IPv6 on lab links' {
    It 'a lab of 200 IPv4-only hosts has no IPv6 address on its lab links, and host 1 reaches host 200' {
        $def = New-NetLabDefinition -Star -Name "${p}big" -HostCount 200 -Prefix "${p}h" -Subnet 10.60.0.0/16 -DatapathType Netdev
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $lab = New-NetLab -Definition $def @O -ErrorAction Stop
        $built = $sw.Elapsed.TotalSeconds
        $first = $def.Links[0]; $last = $def.Links[-1]
        $target = ($last.Addresses[0] -split '/')[0]
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-NetNamespaceConnection $first.Namespace $target -Count 1 -TimeoutSeconds 0.5 -Quiet) -and [DateTime]::UtcNow -lt $deadline) { }
        $sw.Stop()
        Write-Host ("  200 IPv4-only hosts: built in {0:0.0} s, first ping host 1 -> host 200 after {1:0.0} s" -f $built, $sw.Elapsed.TotalSeconds)
        (Test-NetNamespaceConnection $first.Namespace $target -Count 1 -TimeoutSeconds 2).Success | Should -BeTrue
        $with6 = @(foreach ($l in $def.Links) {
                if ((Get-Inet6 $l.Namespace $l.Name).Count -gt 0) { "$($l.Namespace)/$($l.Name)" }
                if ((Get-Inet6 $ovs.Namespace $l.PeerName).Count -gt 0) { "switch/$($l.PeerName)" }
            })
        $with6 | Should -BeNullOrEmpty
        Remove-NetLab -Name $lab.Name -Confirm:$false -ErrorAction Stop
    }

    It 'a link with an IPv6 address keeps its link-local address, and the lab address is usable at once' {
        $def = @{
            Name       = "${p}v6"
            Bridges    = @(@{ Name = "${p}br"; DatapathType = 'Netdev' })
            Namespaces = @("${p}a", "${p}b", "${p}c")
            Links      = @(
                @{ Namespace = "${p}a"; Name = 'eth1'; Address = @('10.61.0.1/24', 'fd61::1/64'); Bridge = "${p}br"; PeerName = "${p}va" }
                @{ Namespace = "${p}b"; Name = 'eth1'; Address = '10.61.0.2/24'; Bridge = "${p}br"; PeerName = "${p}vb" }
                @{ Namespace = "${p}c"; Name = 'eth1'; Address = '10.61.0.3/24'; Bridge = "${p}br"; PeerName = "${p}vc"; LinkLocal = $true }
            )
        }
        $lab = New-NetLab -Definition $def @O -ErrorAction Stop
        $a6 = Get-Inet6 "${p}a" eth1
        @($a6 | Where-Object scope -eq 'link').Count | Should -Be 1
        $g = $a6 | Where-Object local -eq 'fd61::1'
        $g.tentative | Should -BeNullOrEmpty
        $g.nodad | Should -BeTrue
        (Get-Inet6 "${p}b" eth1).Count | Should -Be 0
        # The link that asks for one gets a link-local address (and only that).
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while ((Get-Inet6 "${p}c" eth1).Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        @(Get-Inet6 "${p}c" eth1).scope | Should -Be @('link')
        (Export-NetLab -Name $lab.Name).Links[2].LinkLocal | Should -BeTrue
        @(Compare-NetLab -Name $lab.Name) | Should -BeNullOrEmpty
        Remove-NetLab -Name $lab.Name -Confirm:$false -ErrorAction Stop
    }

    It 'builds the routed example: two bridges, a router, IPv4 and IPv6 across it; without forwarding or the return route it fails' {
        $text = Get-Content -Raw "$PSScriptRoot/../examples/routed.lab.psd1"
        $text = $text -replace "'(h1|h2|r1)'", "'${p}`$1'" -replace "'(br1|br2)'", "'${p}`$1'" -replace "'p-", "'${p}"
        $text = $text -replace "Name       = 'routed'", "Name       = '${p}routed'"
        $file = Join-Path ([IO.Path]::GetTempPath()) "${p}routed.lab.psd1"
        Set-Content $file $text
        try {
            $lab = New-NetLab $file @O -ErrorAction Stop
            $h1 = "${p}h1"; $h2 = "${p}h2"; $r1 = "${p}r1"
            (Get-NetNamespace $r1).IPv4Forwarding | Should -BeTrue
            (Get-NetNamespace $h1).IPv4Forwarding | Should -BeFalse
            @(Get-NetNsRoute -Namespace $h1 -Destination default).Gateway | Should -Be @('10.1.0.1', 'fd00:1::1')
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (Test-NetNamespaceConnection $h1 10.2.0.2 -Count 1 -TimeoutSeconds 0.5 -Quiet) -and [DateTime]::UtcNow -lt $deadline) { }
            (Test-NetNamespaceConnection $h1 10.2.0.2 -Count 1 -TimeoutSeconds 2).Success | Should -BeTrue
            # First packets over a fresh userspace datapath can be lost (upcalls); neighbour discovery adds a round: retry a while.
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (Test-NetNamespaceConnection $h1 fd00:2::2 -Count 1 -TimeoutSeconds 0.5 -Quiet) -and [DateTime]::UtcNow -lt $deadline) { }
            (Test-NetNamespaceConnection $h1 fd00:2::2 -Count 1 -TimeoutSeconds 2).Success | Should -BeTrue
            $m = @(Test-NetLabConnectivity $lab.Name -ExpectTopology -TimeoutSeconds 1 -Count 1)
            $m.Count | Should -Be 8
            @($m | Where-Object Differs) | Should -BeNullOrEmpty
            @($m | Where-Object Reachable).Count | Should -Be 8
            Set-NetNamespace $r1 -Forwarding Disabled
            (Test-NetNamespaceConnection $h1 10.2.0.2 -Count 1 -TimeoutSeconds 1).Success | Should -BeFalse
            # The definition still says r1 forwards: the matrix flags exactly the cells across the router.
            $m = @(Test-NetLabConnectivity $lab.Name -ExpectTopology -TimeoutSeconds 1 -Count 1)
            @($m | Where-Object Differs | ForEach-Object { "$($_.Source)->$($_.Address)" } | Sort-Object) | Should -Be @("$h1->10.2.0.2", "$h2->10.1.0.2")
            Set-NetNamespace $r1 -Forwarding Enabled
            Remove-NetNsRoute -Namespace $h2 default -Family IPv4 -Confirm:$false
            (Test-NetNamespaceConnection $h1 10.2.0.2 -Count 1 -TimeoutSeconds 1).Success | Should -BeFalse
            # NAT: an upstream namespace behind the root namespace stands in for the outside; h1 reaches it through r1
            # and the host, and the upstream sees the host's address, not h1's.
            (Get-NetNamespaceNat $r1).Interface | Should -Be 'nat0'
            $u = "${p}up"; $ru = "${p}ru"
            New-NetNamespace $u -ErrorAction Stop | Out-Null
            try {
                Add-VethPair -Name $ru -PeerName eth0 -PeerNamespace $u -ErrorAction Stop | Out-Null
                Set-NetLink $ru -Up; Get-NetLink -Namespace $u | Set-NetLink -Up
                Add-NetAddress -Name $ru 198.18.78.1/24 | Out-Null
                Add-NetAddress -Name eth0 -Namespace $u 198.18.78.2/24 | Out-Null
                "table ip seen {`n chain input {`n type filter hook input priority 0; policy accept;`n ip saddr 198.18.78.1 icmp type echo-request counter comment ""host""`n ip saddr 10.0.0.0/8 icmp type echo-request counter comment ""lab""`n }`n}`n" | & ip netns exec $u nft -f -
                (Test-NetNamespaceConnection $h1 198.18.78.2 -Count 2 -TimeoutSeconds 2).Success | Should -BeTrue
                $rules = (& ip netns exec $u nft -j list table ip seen | ConvertFrom-Json).nftables | Where-Object { $_.rule } | ForEach-Object { $_.rule }
                (($rules | Where-Object comment -eq 'host').expr | Where-Object { $_.counter }).counter.packets | Should -BeGreaterOrEqual 1
                (($rules | Where-Object comment -eq 'lab').expr | Where-Object { $_.counter }).counter.packets | Should -Be 0
            } finally {
                Remove-TestNamespace $u
                Remove-TestLink $ru
            }
            @(Compare-NetLab -Name $lab.Name | Where-Object Property -in 'Nat', 'Forwarding') | Should -BeNullOrEmpty
            $exported = Join-Path ([IO.Path]::GetTempPath()) "${p}exported.lab.psd1"
            Export-NetLab -Name $lab.Name -Path $exported
            Get-Content -Raw $exported | Should -Match 'Forwarding = \$true'
            Get-Content -Raw $exported | Should -Match 'Nat = \$true'
            Remove-Item $exported
            Remove-NetLab -Name $lab.Name -Confirm:$false -ErrorAction Stop
            Test-Path "/run/netns/$r1" | Should -BeFalse
            @(Get-NetNamespaceNat).Namespace | Should -Not -Contain $r1
            & nft list table ip netns_ps_nat 2>$null | Should -BeNullOrEmpty
        } finally {
            Remove-Item $file -ErrorAction SilentlyContinue
        }
    }

    It 'refuses a lab route via a gateway no lab subnet holds, naming its place, with nothing created' {
        $def = @{
            Name       = "${p}bad"
            Namespaces = @(@{ Name = "${p}x"; Routes = @(@{ Destination = 'default'; Gateway = '10.62.0.1' }, @{ Destination = '10.63.0.0/16'; Gateway = '10.99.0.1' }) }, "${p}y")
            Links      = @(@{ Namespace = "${p}x"; Name = 'eth0'; Address = '10.62.0.2/24'; PeerNamespace = "${p}y"; PeerName = 'eth0'; PeerAddress = '10.62.0.1/24' })
        }
        New-NetLab -Definition $def @O -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-NetNsError $e 'GatewayUnreachable' 'InvalidArgument'
        $e[0].Exception.Message | Should -Match ([regex]::Escape('Namespaces[0].Routes[1].Gateway'))
        Test-Path "/run/netns/${p}x" | Should -BeFalse
    }
}
