# DHCP on the real kernel: dnsmasq in one namespace, dhclient in another, joined by a veth pair.
BeforeAll {
    . $PSScriptRoot/Common.ps1

    $script:ns1 = New-TestName 'dhs'      # server side
    $script:ns2 = New-TestName 'dhc'      # client side
    $script:a = New-TestName 'dha'        # in ns1, 10.123.0.1/24
    $script:b = New-TestName 'dhb'        # in ns2, DHCP client
    $script:c = New-TestName 'dhx'        # in ns1, no IPv4 address
    $script:d = New-TestName 'dhy'        # in ns2, its peer has no server: timeouts
    $script:Names = @($ns1, $ns2)

    function script:Hash-ResolvConf {
        if (Test-Path /etc/resolv.conf) { (Get-FileHash -LiteralPath /etc/resolv.conf -Algorithm SHA256).Hash } else { 'missing' }
    }
    $script:ResolvBefore = Hash-ResolvConf

    # Live (non-zombie) dnsmasq/dhclient processes whose argv mentions one of the given namespaces' run files.
    function script:Get-TestDaemon([string[]] $Namespace) {
        foreach ($p in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
            $cmd = try { [IO.File]::ReadAllText("/proc/$($p.Name)/cmdline") } catch { '' }
            if ($cmd -notmatch 'dnsmasq|dhclient') { continue }
            $stat = try { [IO.File]::ReadAllText("/proc/$($p.Name)/stat") } catch { '' }
            if ($stat -match '\) Z ') { continue }
            foreach ($n in $Namespace) { if ($cmd.Contains("/$n-")) { [int]$p.Name; break } }
        }
    }

    # The argv that starts this same pwsh ('pwsh', or 'dotnet pwsh.dll').
    function script:Get-PwshArgv {
        $exe = [Environment]::ProcessPath
        $first = [Environment]::GetCommandLineArgs()[0]
        if ((Split-Path -Leaf $exe) -ne 'pwsh' -and $first -like '*pwsh.dll') { return , @($exe, $first) }
        return , @($exe)
    }

    function script:Assert-Error($ErrorList, [string] $Id, [string] $Category) {
        $ErrorList.Count | Should -BeGreaterThan 0
        $ErrorList[0].FullyQualifiedErrorId | Should -BeLike "$Id*"
        $ErrorList[0].CategoryInfo.Category | Should -Be $Category
    }

    New-NetNamespace -Name $ns1, $ns2 | Out-Null
    Add-VethPair -Name $a -Namespace $ns1 -PeerName $b -PeerNamespace $ns2 | Out-Null
    Add-VethPair -Name $c -Namespace $ns1 -PeerName $d -PeerNamespace $ns2 | Out-Null
    Get-NetLink -Namespace $ns1 | Set-NetLink -Up
    Get-NetLink -Namespace $ns2 | Set-NetLink -Up
    Add-NetAddress -Namespace $ns1 -Name $a 10.123.0.1/24 | Out-Null
    $script:MacB = (Get-NetLink -Namespace $ns2 -Name $b).MacAddress
}

AfterAll {
    foreach ($n in $script:Names) {
        Get-NetDhcpServer -Namespace $n -ErrorAction SilentlyContinue | Stop-NetDhcpServer -Confirm:$false -ErrorAction SilentlyContinue
    }
    Remove-TestNamespace $script:Names
}

Describe 'DHCP server and client across a veth pair' {
    It 'starts dnsmasq in the namespace with its own files under /run/netns-ps' {
        $s = Start-NetDhcpServer -Namespace $ns1 -Interface $a -Range 10.123.0.100, 10.123.0.150 -LeaseTime (New-TimeSpan -Minutes 10) -Router 10.123.0.1 -DnsServer 10.123.0.1, 10.123.0.2
        $s | Should -BeOfType NetNs.Core.Models.DhcpServer
        $s.Namespace | Should -Be $ns1
        $s.Interface | Should -Be $a
        $s.RangeStart | Should -Be '10.123.0.100'
        $s.RangeEnd | Should -Be '10.123.0.150'
        $s.Netmask | Should -Be '255.255.255.0'
        $s.LeaseTime | Should -Be ([TimeSpan]::FromMinutes(10))
        $s.Running | Should -BeTrue
        $s.ProcessId | Should -BeGreaterThan 1
        (Get-Content "/proc/$($s.ProcessId)/cmdline" -Raw) | Should -Match 'dnsmasq'
        $s.Directory | Should -Be "/run/netns-ps/dhcp/${ns1}:$a"
        & stat -c '%a' /run/netns-ps | Should -Be '700'
        & stat -c '%a' $s.Directory | Should -Be '700'
        foreach ($f in $s.LeaseFile, $s.LogFile, $s.PidFile) {
            Test-Path -LiteralPath $f | Should -BeTrue
            & stat -c '%a' $f | Should -Be '600'
        }
        # It runs inside the namespace, serves no DNS and uses no host configuration.
        (Get-NetNamespace -Name $ns1).ProcessIds | Should -Contain $s.ProcessId
        $argv = (Get-Content "/proc/$($s.ProcessId)/cmdline" -Raw) -split "`0"
        $argv | Should -Contain '--conf-file=/dev/null'
        $argv | Should -Contain '--port=0'
    }

    It 'lists the server' {
        $s = @(Get-NetDhcpServer -Namespace $ns1)
        $s.Count | Should -Be 1
        $s[0].Interface | Should -Be $a
        $s[0].Running | Should -BeTrue
        (Get-NetDhcpServer -Interface $a).Namespace | Should -Be $ns1
    }

    It 'gives the client a lease from the range; the address is configured; no dhclient is left' {
        $l = Request-NetDhcpClientLease -Namespace $ns2 -Interface $b -TimeoutSeconds 15
        $l | Should -BeOfType NetNs.Core.Models.DhcpClientLease
        $l.Namespace | Should -Be $ns2
        $l.Interface | Should -Be $b
        $last = [int]($l.Address -split '\.')[3]
        $l.Address | Should -Match '^10\.123\.0\.\d+$'
        $last | Should -BeGreaterOrEqual 100
        $last | Should -BeLessOrEqual 150
        $l.PrefixLength | Should -Be 24
        $l.Router | Should -Be '10.123.0.1'
        $l.DnsServer | Should -Be @('10.123.0.1', '10.123.0.2')
        $l.ServerId | Should -Be '10.123.0.1'
        $l.LeaseTime | Should -Be ([TimeSpan]::FromMinutes(10))
        $l.Expires | Should -BeGreaterThan ([DateTime]::UtcNow.AddMinutes(8))
        $l.Running | Should -BeFalse
        $l.ProcessId | Should -BeNullOrEmpty
        $script:Leased = $l.Address

        (Get-NetAddress -Namespace $ns2 -Name $b | Where-Object Family -EQ 'IPv4').Cidr | Should -Be "$($l.Address)/24"
        # The address lives as long as the lease: dynamic, with the lease time as its lifetime (ip -j shows valid_life_time).
        (Get-NetAddress -Namespace $ns2 -Name $b | Where-Object Family -EQ 'IPv4').Dynamic | Should -BeTrue
        $life = (& ip -j -n $ns2 address show dev $b | ConvertFrom-Json).addr_info | Where-Object family -EQ 'inet' | ForEach-Object valid_life_time
        $life | Should -BeGreaterThan 500
        $life | Should -BeLessOrEqual 600
        @(Get-TestDaemon $ns2).Count | Should -Be 0
        (Test-NetNamespaceConnection -Namespace $ns2 -Target 10.123.0.1 -Count 1 -TimeoutSeconds 2).Success | Should -BeTrue
    }

    It 'the server lists the lease with the client MAC and logs DHCPACK' {
        $lease = @(Get-NetDhcpLease -Namespace $ns1 -Interface $a)
        $lease.Count | Should -Be 1
        $lease[0].MacAddress | Should -Be $MacB
        $lease[0].IPAddress | Should -Be $script:Leased
        $lease[0].Expires | Should -BeOfType [datetime]
        $lease[0].Expires | Should -BeGreaterThan ([DateTime]::UtcNow.AddMinutes(8))
        (Get-NetDhcpServer -Namespace $ns1 | Get-NetDhcpLease).IPAddress | Should -Be $script:Leased
        $log = Get-NetDhcpServerLog -Namespace $ns1 -Interface $a
        ($log | Where-Object { $_ -match "DHCPACK\($a\) $([regex]::Escape($script:Leased)) $MacB" }) | Should -Not -BeNullOrEmpty
        @(Get-NetDhcpServerLog -Namespace $ns1 -Interface $a -Tail 2).Count | Should -Be 2
    }

    It 'lists the client lease and releases it: address removed, files removed' {
        $c = @(Get-NetDhcpClientLease -Namespace $ns2)
        $c.Count | Should -Be 1
        $c[0].Address | Should -Be $script:Leased
        $c[0].Running | Should -BeFalse
        Get-NetDhcpClientLease -Namespace $ns2 | Remove-NetDhcpClientLease -Confirm:$false
        @(Get-NetAddress -Namespace $ns2 -Name $b | Where-Object Family -EQ 'IPv4').Count | Should -Be 0
        Test-Path "/run/netns-ps/dhclient/$ns2-$b" | Should -BeFalse
        @(Get-NetDhcpClientLease -Namespace $ns2).Count | Should -Be 0
        Remove-NetDhcpClientLease -Namespace $ns2 -Interface $b -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-Error $err 'DhcpClientNotFound' 'ObjectNotFound'
    }

    It 'keeps a client running with -KeepRunning until the lease is removed' {
        $l = Request-NetDhcpClientLease -Namespace $ns2 -Interface $b -KeepRunning
        $l.Running | Should -BeTrue
        $l.ProcessId | Should -BeGreaterThan 1
        $clientPid = $l.ProcessId
        (Get-Content "/proc/$clientPid/cmdline" -Raw) | Should -Match 'dhclient'
        (Get-NetDhcpClientLease -Namespace $ns2 -Interface $b).Running | Should -BeTrue
        Request-NetDhcpClientLease -Namespace $ns2 -Interface $b -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-Error $err 'DhcpClientRunning' 'ResourceExists'
        Remove-NetDhcpClientLease -Namespace $ns2 -Interface $b -Confirm:$false
        @(Get-TestDaemon $ns2).Count | Should -Be 0
        @(Get-NetAddress -Namespace $ns2 -Name $b | Where-Object Family -EQ 'IPv4').Count | Should -Be 0
    }

    It 'refuses a second server on the same interface and starts nothing' {
        $before = @(Get-TestDaemon $ns1)
        Start-NetDhcpServer -Namespace $ns1 -Interface $a -Range 10.123.0.160, 10.123.0.170 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-Error $err 'DhcpServerExists' 'ResourceExists'
        @(Get-TestDaemon $ns1).Count | Should -Be $before.Count
    }

    It 'honours a static lease' {
        Stop-NetDhcpServer -Namespace $ns1 -Interface $a -Confirm:$false
        $s = Start-NetDhcpServer -Namespace $ns1 -Interface $a -RangeStart 10.123.0.100 -RangeEnd 10.123.0.150 -StaticLease @{ $MacB = '10.123.0.42' }
        $s.StaticLease[$MacB] | Should -Be '10.123.0.42'
        $l = Request-NetDhcpClientLease -Namespace $ns2 -Interface $b
        $l.Address | Should -Be '10.123.0.42'
        $l.LeaseTime | Should -Be ([TimeSpan]::FromHours(1))
        (Get-NetDhcpLease -Namespace $ns1 -Interface $a -MacAddress $MacB).IPAddress | Should -Be '10.123.0.42'
        Remove-NetDhcpClientLease -Namespace $ns2 -Interface $b -Confirm:$false
    }

    It 'times out with an error naming the interface when no server answers' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $r = Request-NetDhcpClientLease -Namespace $ns2 -Interface $d -TimeoutSeconds 3 -ErrorVariable err -ErrorAction SilentlyContinue
        $sw.Stop()
        $r | Should -BeNullOrEmpty
        Assert-Error $err 'DhcpLeaseTimeout' 'OperationTimeout'
        $err[0].Exception.Message | Should -BeLike "*'$d'*3 seconds*"
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 10
        Test-Path "/run/netns-ps/dhclient/$ns2-$d" | Should -BeFalse
        @(Get-TestDaemon $ns2).Count | Should -Be 0
    }

    It 'detects a dead server and Stop-NetDhcpServer removes it' {
        $s = Get-NetDhcpServer -Namespace $ns1 -Interface $a
        & kill -KILL $s.ProcessId
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while ((Get-NetDhcpServer -Namespace $ns1 -Interface $a).Running -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $dead = Get-NetDhcpServer -Namespace $ns1 -Interface $a
        $dead.Running | Should -BeFalse
        $dead | Stop-NetDhcpServer -Confirm:$false
        Test-Path $dead.Directory | Should -BeFalse
        @(Get-NetDhcpServer -Namespace $ns1).Count | Should -Be 0
    }

    It 'stops a server: process gone and files removed' {
        $s = Start-NetDhcpServer -Namespace $ns1 -Interface $a -Range 10.123.0.100, 10.123.0.150
        $s.Running | Should -BeTrue
        $out = Stop-NetDhcpServer -Namespace $ns1 -Interface $a -PassThru -Confirm:$false
        $out.Running | Should -BeFalse
        @(Get-TestDaemon $ns1).Count | Should -Be 0
        Test-Path $s.Directory | Should -BeFalse
        Stop-NetDhcpServer -Namespace $ns1 -Interface $a -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-Error $err 'DhcpServerNotFound' 'ObjectNotFound'
    }

    It 'accepts -Range as one start-end string, and refuses one address alone' {
        $w = Start-NetDhcpServer -Namespace $ns1 -Interface $a -Range '10.123.0.100-10.123.0.150' -WhatIf
        $w.RangeStart | Should -Be '10.123.0.100'
        $w.RangeEnd | Should -Be '10.123.0.150'
        Start-NetDhcpServer -Namespace $ns1 -Interface $a -Range '10.123.0.100' -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-Error $err 'InvalidDhcpRange' 'InvalidArgument'
        @(Get-TestDaemon $ns1).Count | Should -Be 0
    }

    It '-WhatIf starts nothing and describes the server' {
        $w = Start-NetDhcpServer -Namespace $ns1 -Interface $a -Range 10.123.0.100, 10.123.0.150 -WhatIf
        $w.Running | Should -BeFalse
        $w.Interface | Should -Be $a
        @(Get-TestDaemon $ns1).Count | Should -Be 0
        Test-Path "/run/netns-ps/dhcp/${ns1}:$a" | Should -BeFalse
    }
}

Describe 'DHCP refusals, before anything starts' {
    It 'refuses <Case>' -ForEach @(
        @{ Case = 'a missing namespace'; Id = 'NamespaceNotFound'; Cat = 'ObjectNotFound'; Params = @{ Namespace = 'nonexistent-ns-x9'; Interface = 'eth0'; Range = '10.123.0.100', '10.123.0.150' } }
        @{ Case = 'a missing interface'; Id = 'LinkNotFound'; Cat = 'ObjectNotFound'; Params = @{ Interface = 'nosuchif0'; Range = '10.123.0.100', '10.123.0.150' } }
        @{ Case = 'an interface without IPv4 address'; Id = 'NoIPv4Address'; Cat = 'InvalidArgument'; Params = @{ Interface = 'C'; Range = '10.123.0.100', '10.123.0.150' } }
        @{ Case = 'a range outside the subnet'; Id = 'DhcpRangeOutsideSubnet'; Cat = 'InvalidArgument'; Params = @{ Range = '10.124.0.100', '10.124.0.150' } }
        @{ Case = 'a range reaching the broadcast address'; Id = 'DhcpRangeOutsideSubnet'; Cat = 'InvalidArgument'; Params = @{ Range = '10.123.0.100', '10.123.0.255' } }
        @{ Case = 'a reversed range'; Id = 'InvalidDhcpRange'; Cat = 'InvalidArgument'; Params = @{ Range = '10.123.0.150', '10.123.0.100' } }
        @{ Case = 'a static lease outside the subnet'; Id = 'InvalidStaticLease'; Cat = 'InvalidArgument'; Params = @{ Range = '10.123.0.100', '10.123.0.150'; StaticLease = @{ '02:00:00:00:00:01' = '10.9.0.1' } } }
        @{ Case = 'a too short lease time'; Id = 'InvalidLeaseTime'; Cat = 'InvalidArgument'; Params = @{ Range = '10.123.0.100', '10.123.0.150'; LeaseTime = [TimeSpan]::FromSeconds(30) } }
        @{ Case = 'an IPv6 router'; Id = 'InvalidAddress'; Cat = 'InvalidArgument'; Params = @{ Range = '10.123.0.100', '10.123.0.150'; Router = 'fd00::1' } }
    ) {
        $splat = @{ Namespace = $ns1; Interface = $a }
        foreach ($k in $Params.Keys) { $splat[$k] = $Params[$k] }
        if ($splat.Interface -eq 'C') { $splat.Interface = $c }
        Start-NetDhcpServer @splat -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-Error $err $Id $Cat
        @(Get-TestDaemon $ns1).Count | Should -Be 0
        @(Get-ChildItem /run/netns-ps/dhcp -ErrorAction SilentlyContinue | Where-Object Name -Like "${ns1}:*").Count | Should -Be 0
    }

    It 'refuses a client request on a missing interface or namespace' {
        Request-NetDhcpClientLease -Namespace $ns2 -Interface nosuchif0 -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-Error $err 'LinkNotFound' 'ObjectNotFound'
        Request-NetDhcpClientLease -Namespace nonexistent-ns-x9 -Interface $b -ErrorVariable err2 -ErrorAction SilentlyContinue
        Assert-Error $err2 'NamespaceNotFound' 'ObjectNotFound'
        Request-NetDhcpClientLease -Namespace $ns2 -Interface $b -TimeoutSeconds 0 -ErrorVariable err3 -ErrorAction SilentlyContinue
        Assert-Error $err3 'InvalidTimeout' 'InvalidArgument'
    }

    It 'reports dnsmasq''s own message when it cannot start, and leaves nothing running' {
        # Something else holds UDP port 67 in the namespace (without SO_REUSEADDR): dnsmasq cannot bind.
        $blocker = Start-Process -FilePath ip -PassThru -ArgumentList (@('netns', 'exec', $ns1) + (Get-PwshArgv) + @('-NoProfile', '-NonInteractive', '-Command',
                '$u = [Net.Sockets.UdpClient]::new(67); Start-Sleep -Seconds 60'))
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (& ip netns exec $ns1 ss -Hlun 'sport = :67') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            & ip netns exec $ns1 ss -Hlun 'sport = :67' | Should -Not -BeNullOrEmpty
            Start-NetDhcpServer -Namespace $ns1 -Interface $a -Range 10.123.0.100, 10.123.0.150 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Assert-Error $err 'DhcpServerStartFailed' 'InvalidOperation'
            $err[0].Exception.Message | Should -BeLike '*dnsmasq: failed to bind DHCP server socket*'
            @(Get-TestDaemon $ns1).Count | Should -Be 0
            Test-Path "/run/netns-ps/dhcp/${ns1}:$a" | Should -BeFalse
            @(Get-NetDhcpServer -Namespace $ns1).Count | Should -Be 0
        } finally {
            Stop-Process -Id $blocker.Id -Force -ErrorAction SilentlyContinue
            $blocker.WaitForExit(5000) | Out-Null
        }
    }
}

Describe 'Remove-NetNamespace stops DHCP first' {
    It 'removes namespaces with a running server and a running client, leaving nothing' {
        $n3 = New-TestName 'dhr'; $n4 = New-TestName 'dhr'
        $script:Names += $n3, $n4
        $e = New-TestName 'dhe'; $f = New-TestName 'dhf'
        New-NetNamespace -Name $n3, $n4 | Out-Null
        Add-VethPair -Name $e -Namespace $n3 -PeerName $f -PeerNamespace $n4 | Out-Null
        Set-NetLink -Namespace $n3 -Name $e -Up
        Set-NetLink -Namespace $n4 -Name $f -Up
        Add-NetAddress -Namespace $n3 -Name $e 10.124.0.1/24 | Out-Null
        $s = Start-NetDhcpServer -Namespace $n3 -Interface $e -Range 10.124.0.10, 10.124.0.20
        $l = Request-NetDhcpClientLease -Namespace $n4 -Interface $f -KeepRunning
        $l.Running | Should -BeTrue
        $l.Address | Should -Match '^10\.124\.0\.(1\d|20)$'

        Remove-NetNamespace -Name $n4 -Force -Confirm:$false
        Remove-NetNamespace -Name $n3 -Force -Confirm:$false
        Test-Path "/run/netns/$n3" | Should -BeFalse
        Test-Path "/run/netns/$n4" | Should -BeFalse
        @(Get-TestDaemon $n3, $n4).Count | Should -Be 0
        Test-Path $s.Directory | Should -BeFalse
        Test-Path "/run/netns-ps/dhclient/$n4-$f" | Should -BeFalse
        @(Get-NetDhcpServer -Namespace $n3).Count | Should -Be 0
        @(Get-NetDhcpClientLease -Namespace $n4).Count | Should -Be 0
        & ip -br link show dev $e 2>$null | Should -BeNullOrEmpty
    }

    It 'removes, from a fresh pwsh, a namespace whose only process is our dnsmasq, without -Force' {
        $n5 = New-TestName 'dhr'
        $script:Names += $n5
        $g = New-TestName 'dhg'; $h = New-TestName 'dhh'
        New-NetNamespace -Name $n5 | Out-Null
        Add-VethPair -Name $g -Namespace $n5 -PeerName $h -PeerNamespace $n5 | Out-Null
        Add-NetAddress -Namespace $n5 -Name $g 10.125.0.1/24 | Out-Null
        $s = Start-NetDhcpServer -Namespace $n5 -Interface $g -Range 10.125.0.10, 10.125.0.20
        $s.Running | Should -BeTrue
        # A new session that only imports the module and removes the namespace: the DHCP hook is in force there too.
        $argv = Get-PwshArgv
        $exe = $argv[0]; $rest = @($argv | Select-Object -Skip 1)
        $out = & $exe @rest -NoProfile -NonInteractive -Command "Import-Module '$script:NetNsModule'; Remove-NetNamespace -Name $n5 -Confirm:`$false -Verbose -ErrorAction Stop 4>&1" 2>&1
        $LASTEXITCODE | Should -Be 0
        ($out -join "`n") | Should -Match "kill -TERM $($s.ProcessId) # dnsmasq on $n5/$g"
        Test-Path "/run/netns/$n5" | Should -BeFalse
        @(Get-TestDaemon $n5).Count | Should -Be 0
    }
}

Describe 'Nothing outside the namespaces changed' {
    It 'leaves /etc/resolv.conf unchanged and creates no /etc/netns entry' {
        Hash-ResolvConf | Should -Be $script:ResolvBefore
        foreach ($n in $script:Names) { Test-Path "/etc/netns/$n" | Should -BeFalse }
    }

    It 'leaves no dnsmasq or dhclient of this run after teardown' {
        foreach ($n in $script:Names) {
            Get-NetDhcpServer -Namespace $n | Stop-NetDhcpServer -Confirm:$false
        }
        Remove-TestNamespace $script:Names
        @(Get-TestDaemon $script:Names).Count | Should -Be 0
        @(Get-ChildItem /run/netns-ps/dhcp, /run/netns-ps/dhclient -ErrorAction SilentlyContinue |
                Where-Object { $n = $_.Name; $script:Names | Where-Object { $n -like "$_-*" } }).Count | Should -Be 0
        foreach ($n in $script:Names) { Test-Path "/run/netns/$n" | Should -BeFalse }
    }
}
