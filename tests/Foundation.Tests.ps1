# The foundation cmdlets on the real kernel: namespaces, veth pairs, links, addresses, commands run
# inside a namespace, ping. Every name is unique to this run; AfterAll removes all of it, even on failure.

BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:Namespaces = [System.Collections.Generic.List[string]]::new()
    $script:RootLinks = [System.Collections.Generic.List[string]]::new()
    $script:Processes = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    $script:EtcDirs = [System.Collections.Generic.List[string]]::new()
    $script:EtcParentCreated = $false

    # A unique namespace name, remembered for AfterAll.
    function New-Ns([string] $Prefix = 'fn') { $n = New-TestName $Prefix; $script:Namespaces.Add($n); $n }
    # A unique link name, remembered for AfterAll (root namespace).
    function New-If([string] $Prefix = 'fi') { $n = New-TestName $Prefix; $script:RootLinks.Add($n); $n }

    # The kernel's own view (ip -j), independent of the module.
    function Get-IpLink([string] $Namespace, [string] $Name) {
        $a = @('-j', '-d')
        if ($Namespace) { $a += @('-n', $Namespace) }
        $a += @('link', 'show')
        if ($Name) { $a += @('dev', $Name) }
        $json = & ip @a 2>$null
        if ($LASTEXITCODE -ne 0) { return $null }
        $json | ConvertFrom-Json
    }
    function Get-IpLinkNames([string] $Namespace) { @(Get-IpLink $Namespace | ForEach-Object ifname) | Sort-Object }
    function Test-IpLink([string] $Namespace, [string] $Name) { $null -ne (Get-IpLink $Namespace $Name) }
    function Get-IpAddr([string] $Namespace, [string] $Name) {
        $ns = if ($Namespace) { @('-n', $Namespace) } else { @() }
        $json = & ip -j @ns address show dev $Name
        @(($json | ConvertFrom-Json).addr_info | ForEach-Object { "$($_.local)/$($_.prefixlen)" })
    }
}

AfterAll {
    foreach ($p in $script:Processes) { try { if (-not $p.HasExited) { $p.Kill($true) } } catch { } }
    Remove-TestNamespace $script:Namespaces
    Remove-TestLink $script:RootLinks
    foreach ($d in $script:EtcDirs) { if (Test-Path $d) { Remove-Item -Recurse -Force $d } }
    # /etc/netns itself only when this run created it and nobody else put anything there since.
    if ($script:EtcParentCreated -and (Test-Path /etc/netns) -and -not (Get-ChildItem -Force /etc/netns)) { Remove-Item /etc/netns }
}

Describe 'New-NetNamespace / Get-NetNamespace / Remove-NetNamespace' {
    It 'creates a namespace and returns it with name, id and no pids' {
        $n = New-Ns
        $o = New-NetNamespace $n
        $o.Name | Should -Be $n
        $o.Namespace | Should -Be $n
        $o.Exists | Should -BeTrue
        $o.Path | Should -Be "/run/netns/$n"
        $o.Id | Should -BeOfType [int]
        $o.ProcessIds.Count | Should -Be 0
        "/run/netns/$n" | Should -Exist
        (& ip netns list) -match "^$n( |$)" | Should -Not -BeNullOrEmpty
        Get-IpLinkNames $n | Should -Be @('lo')
    }

    It 'creates many namespaces from arguments and from the pipeline' {
        $a = New-Ns; $b = New-Ns; $c = New-Ns
        $r1 = @(New-NetNamespace $a, $b)
        $r2 = @($c | New-NetNamespace)
        $r1.Name | Should -Be @($a, $b)
        $r2.Name | Should -Be @($c)
        foreach ($n in $a, $b, $c) { "/run/netns/$n" | Should -Exist }
    }

    It 'Get-NetNamespace gives the netns id the kernel reports and the pids inside' {
        $n = New-Ns
        New-NetNamespace $n | Out-Null
        $g = Get-NetNamespace $n
        $g.Name | Should -Be $n
        $ids = & ip -j netns list-id | ConvertFrom-Json
        $kernelId = @($ids | Where-Object name -EQ $n)[0].nsid
        $kernelId | Should -Not -BeNullOrEmpty
        $g.Id | Should -Be $kernelId
        $g.ProcessIds.Count | Should -Be 0
        @(Get-NetNamespace ($n.Substring(0, 5) + '*')).Name | Should -Contain $n
        @(Get-NetNamespace).Name | Should -Contain $n
    }

    It 'Get-NetNamespace of a missing name writes NamespaceNotFound' {
        $n = New-Ns
        $r = Get-NetNamespace $n -ErrorVariable ev -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Assert-NetNsError $ev 'NamespaceNotFound' 'ObjectNotFound'
    }

    It 'refuses an existing name with NamespaceExists' {
        $n = New-Ns
        New-NetNamespace $n | Out-Null
        $r = New-NetNamespace $n -ErrorVariable ev -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Assert-NetNsError $ev 'NamespaceExists' 'ResourceExists'
    }

    It 'refuses the invalid name <Display> with InvalidNamespaceName and creates nothing' -ForEach @(
        @{ Bad = 'a/b'; Display = 'with /' }
        @{ Bad = 'a b'; Display = 'with space' }
        @{ Bad = "a`nb"; Display = 'with newline' }
        @{ Bad = "a`tb"; Display = 'with tab' }
        @{ Bad = '-x'; Display = 'leading -' }
        @{ Bad = '..'; Display = '..' }
        @{ Bad = ('n' * 256); Display = '256 bytes' }
    ) {
        $before = @(& ip netns list).Count
        $v = New-NetNamespace $Bad -ErrorVariable ev -ErrorAction SilentlyContinue -Verbose 4>&1
        Assert-NetNsError $ev 'InvalidNamespaceName' 'InvalidArgument'
        $ev[0].Exception.Message | Should -BeLike '*-Name*'
        @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'ip *' }).Count | Should -Be 0
        if ($Bad -notmatch '/' -and $Bad -ne '..' -and $Bad.Length -lt 256) { "/run/netns/$Bad" | Should -Not -Exist }
    }

    It 'Remove-NetNamespace of a missing name writes NamespaceNotFound' {
        $n = New-Ns
        Remove-NetNamespace $n -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'NamespaceNotFound' 'ObjectNotFound'
    }

    It 'Remove-NetNamespace refuses while a process runs inside, listing its pid; -Force stops it and the peer goes too' {
        $n = New-Ns; $a = New-If; $b = New-If
        New-NetNamespace $n | Add-VethPair -Name $a -PeerName $b | Out-Null
        Test-IpLink '' $b | Should -BeTrue
        $psi = [System.Diagnostics.ProcessStartInfo]::new('ip')
        foreach ($x in 'netns', 'exec', $n, 'sleep', '60') { $psi.ArgumentList.Add($x) }
        $p = [System.Diagnostics.Process]::Start($psi)
        $script:Processes.Add($p)
        $deadline = (Get-Date).AddSeconds(5)
        while ((Get-NetNamespace $n).ProcessIds -notcontains $p.Id -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
        (Get-NetNamespace $n).ProcessIds | Should -Contain $p.Id

        Remove-NetNamespace $n -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'NamespaceInUse' 'ResourceUnavailable'
        $ev[0].Exception.Message | Should -BeLike "*$($p.Id)*"
        "/run/netns/$n" | Should -Exist
        $p.HasExited | Should -BeFalse
        Test-IpLink '' $b | Should -BeTrue

        Remove-NetNamespace $n -Force
        "/run/netns/$n" | Should -Not -Exist
        $p.WaitForExit(2000) | Should -BeTrue
        Test-IpLink '' $b | Should -BeFalse
    }

    It 'removes and creates the same names again at once, 100 times' {
        $n = New-Ns; $a = New-If; $b = New-If
        for ($i = 0; $i -lt 100; $i++) {
            $v = New-NetNamespace $n -ErrorAction Stop | Add-VethPair -Name $a -PeerName $b -Mtu 1400 -ErrorAction Stop
            $v.Exists | Should -BeTrue
            Remove-NetNamespace $n -ErrorAction Stop
            "/run/netns/$n" | Should -Not -Exist
            Test-IpLink '' $b | Should -BeFalse
        }
    }

    It 'creates and removes 16 namespaces with veth pairs in parallel (ForEach-Object -Parallel)' {
        $names = 1..16 | ForEach-Object { [pscustomobject]@{ Ns = (New-Ns 'fp'); A = (New-If 'fpa'); B = (New-If 'fpb') } }
        $mod = (Resolve-Path $script:NetNsModule).Path
        $made = $names | ForEach-Object -ThrottleLimit 16 -Parallel {
            Import-Module $using:mod
            $x = $_
            $v = New-NetNamespace $x.Ns -ErrorAction Stop | Add-VethPair -Name $x.A -PeerName $x.B -Mtu 1400 -ErrorAction Stop
            $l = Get-NetLink $x.B -ErrorAction Stop
            [pscustomobject]@{ Ns = $x.Ns; Exists = $v.Exists; PeerNamespace = $l.PeerNamespace; PeerName = $l.PeerName; Id = (Get-NetNamespace $x.Ns).Id }
        }
        @($made).Count | Should -Be 16
        foreach ($m in $made) {
            $x = $names | Where-Object Ns -EQ $m.Ns
            $m.Exists | Should -BeTrue
            $m.PeerNamespace | Should -Be $x.Ns
            $m.PeerName | Should -Be $x.A
            $m.Id | Should -BeOfType [int]
        }
        @($made.Id | Sort-Object -Unique).Count | Should -Be 16
        $errors = $names | ForEach-Object -ThrottleLimit 16 -Parallel {
            Import-Module $using:mod
            Remove-NetNamespace $_.Ns -ErrorVariable ev -ErrorAction SilentlyContinue
            $ev
        }
        @($errors).Count | Should -Be 0
        foreach ($x in $names) {
            "/run/netns/$($x.Ns)" | Should -Not -Exist
            Test-IpLink '' $x.B | Should -BeFalse
        }
    }

    It '-WhatIf creates nothing and passes on objects with Exists = $false through the pipeline' {
        $n = New-Ns; $a = New-If; $b = New-If
        $o = New-NetNamespace $n -WhatIf
        $o.Name | Should -Be $n
        $o.Exists | Should -BeFalse
        "/run/netns/$n" | Should -Not -Exist

        $v = New-NetNamespace $n -WhatIf | Add-VethPair -Name $a -PeerName $b -Mtu 1400 -WhatIf
        $v.Exists | Should -BeFalse
        $v.Name | Should -Be $a
        $v.Namespace | Should -Be $n
        $v.PeerName | Should -Be $b
        $v.PeerNamespace | Should -Be ''
        $v.Mtu | Should -Be 1400
        "/run/netns/$n" | Should -Not -Exist
        Test-IpLink '' $b | Should -BeFalse

        New-NetNamespace $n | Out-Null
        Remove-NetNamespace $n -WhatIf
        "/run/netns/$n" | Should -Exist
    }

    It '-Verbose prints the ip command lines' {
        $n = New-Ns
        $v = @(New-NetNamespace $n -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        # Made in process once /run/netns is a shared mount point (ip sets it up the first time): the ip command line is shown either way.
        $v | Where-Object { $_ -eq "ip netns add $n" -or $_ -eq "ip netns add $n   (in process: unshare, bind mount)" } | Should -Not -BeNullOrEmpty
        $v = @(Remove-NetNamespace $n -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        # Deleted in process as ip does it (umount, unlink): the ip command line is shown, marked.
        $v | Should -Contain "ip netns del $n   (in process: umount, unlink)"
    }

    It 'Remove-NetNamespace starts no process: the namespace, its veths and their peers go, -Verbose shows the in-process marks; 50 times' {
        # Kept across the loop: a second namespace holding the peer of one veth of the namespace removed.
        $other = New-Ns
        New-NetNamespace $other | Out-Null
        $n = New-Ns; $a = New-If; $b = New-If
        $c = New-TestName 'fc'; $d = New-TestName 'fd'; $e = New-TestName 'fe'; $f = New-TestName 'ff'
        for ($i = 0; $i -lt 50; $i++) {
            New-NetNamespace $n -ErrorAction Stop | Add-VethPair -Name $a -PeerName $b -ErrorAction Stop | Out-Null
            Add-VethPair -Namespace $n -Name $c -PeerName $d -PeerNamespace $other -ErrorAction Stop | Out-Null
            # Both ends inside: deleting one takes the other (the second delete finds it gone, ENODEV, ignored).
            Add-VethPair -Namespace $n -Name $e -PeerName $f -PeerNamespace $n -ErrorAction Stop | Out-Null
            Test-IpLink '' $b | Should -BeTrue
            Test-IpLink $other $d | Should -BeTrue

            $v = @(Remove-NetNamespace $n -Verbose -ErrorAction Stop 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
            "/run/netns/$n" | Should -Not -Exist
            (& ip netns list) -match "^$n( |$)" | Should -BeNullOrEmpty
            Test-IpLink '' $b | Should -BeFalse
            Test-IpLink $other $d | Should -BeFalse
            $v | Should -Contain "ip -j -d -n $n link show   (in process: rtnetlink)"
            $v | Should -Contain "ip -n $n link del dev $a   (in process: rtnetlink)"
            $v | Should -Contain "ip -n $n link del dev $c   (in process: rtnetlink)"
            @($v | Where-Object { $_ -like "ip -n $n link del dev *" }).Count | Should -Be 4
            $v | Should -Contain "ip netns del $n   (in process: umount, unlink)"
            # Every process NetNs starts is announced on -Verbose without a mark: there is none.
            @($v | Where-Object { $_ -like 'ip *' -and $_ -notlike '*   (in process: *)' }) | Should -BeNullOrEmpty
        }
        Get-IpLinkNames $other | Should -Be @('lo')
    }
}

Describe 'Add-VethPair / Get-NetLink / Set-NetLink / Move-NetLink / Remove-NetLink' {
    BeforeAll {
        $script:ns1 = New-Ns
        $script:ns2 = New-Ns
        New-NetNamespace $ns1, $ns2 | Out-Null
    }

    It 'New-NetNamespace | Add-VethPair puts -Name in the piped namespace and the peer in the root, MTU on both ends' {
        $n = New-Ns; $a = New-If; $b = New-If
        $v = New-NetNamespace $n | Add-VethPair -Name $a -PeerName $b -Mtu 1400
        $v.Name | Should -Be $a
        $v.Namespace | Should -Be $n
        $v.PeerName | Should -Be $b
        $v.PeerNamespace | Should -Be ''
        $v.Mtu | Should -Be 1400
        $v.Exists | Should -BeTrue
        $v.RootEnd | Should -Be $b
        $inner = Get-IpLink $n $a
        $outer = Get-IpLink '' $b
        $inner.mtu | Should -Be 1400
        $outer.mtu | Should -Be 1400
        Test-IpLink '' $a | Should -BeFalse

        $l = Get-NetLink -Namespace $n -Name $a
        $l.Namespace | Should -Be $n
        $l.Name | Should -Be $a
        $l.IfIndex | Should -Be $inner.ifindex
        $l.IfIndex | Should -BeGreaterThan 0
        $l.Kind | Should -Be 'veth'
        $l.AdminState | Should -Be 'DOWN'
        $l.Mtu | Should -Be 1400
        $l.MacAddress | Should -Be $inner.address
        $l.PeerName | Should -Be $b
        $l.PeerNamespace | Should -Be ''
        $l.PeerIfIndex | Should -Be $outer.ifindex

        $r = Get-NetLink $b
        $r.Namespace | Should -Be ''
        $r.IfIndex | Should -Be $outer.ifindex
        $r.Mtu | Should -Be 1400
        $r.PeerName | Should -Be $a
        $r.PeerNamespace | Should -Be $n
        $r.PeerIfIndex | Should -Be $inner.ifindex
    }

    It 'creates a pair between two named namespaces and resolves the peer both ways' {
        $a = New-If; $b = New-If
        $v = Add-VethPair -Name $a -PeerName $b -Namespace $ns1 -PeerNamespace $ns2
        $v.RootEnd | Should -BeNullOrEmpty
        $v.Mtu | Should -BeNullOrEmpty
        (Get-IpLink $ns1 $a).mtu | Should -Be 1500
        $x = Get-NetLink -Namespace $ns1 $a
        $y = Get-NetLink -Namespace $ns2 $b
        $x.PeerName | Should -Be $b
        $x.PeerNamespace | Should -Be $ns2
        $x.PeerIfIndex | Should -Be $y.IfIndex
        $y.PeerName | Should -Be $a
        $y.PeerNamespace | Should -Be $ns1
        $y.PeerIfIndex | Should -Be $x.IfIndex
    }

    It 'creates a pair with both ends in the same namespace and resolves the peers' {
        $a = New-If; $b = New-If
        Add-VethPair $a $b -Namespace $ns1 -PeerNamespace $ns1 | Out-Null
        $links = Get-NetLink -Namespace $ns1 -Kind veth
        ($links | Where-Object Name -EQ $a).PeerName | Should -Be $b
        ($links | Where-Object Name -EQ $a).PeerNamespace | Should -Be $ns1
        ($links | Where-Object Name -EQ $b).PeerName | Should -Be $a
    }

    It 'Get-NetLink of a fresh namespace shows only lo, DOWN' {
        $n = New-Ns
        New-NetNamespace $n | Out-Null
        $l = @(Get-NetLink -Namespace $n)
        $l.Count | Should -Be 1
        $l[0].Name | Should -Be 'lo'
        $l[0].Kind | Should -Be 'loopback'
        $l[0].AdminState | Should -Be 'DOWN'
        $l[0].IfIndex | Should -Be 1
        @(New-NetNamespace (New-Ns) | Get-NetLink).Name | Should -Be @('lo')
    }

    It 'Get-NetLink -Namespace | Set-NetLink -Up brings every link up' {
        $n = New-Ns; $a = New-If; $b = New-If
        New-NetNamespace $n | Add-VethPair -Name $a -PeerName $b -PeerNamespace $ns2 | Out-Null
        Get-NetLink -Namespace $n | Set-NetLink -Up
        $all = Get-NetLink -Namespace $n
        $all.Count | Should -Be 2
        $all | ForEach-Object { $_.AdminState | Should -Be 'UP' }
        (Get-IpLink $n $a).flags | Should -Contain 'UP'
        (Get-IpLink $n 'lo').flags | Should -Contain 'UP'
        Set-NetLink -Namespace $n -Name $a -Down
        (Get-IpLink $n $a).flags | Should -Not -Contain 'UP'
    }

    It 'Set-NetLink changes MTU, MAC address and name, and -PassThru returns the changed link' {
        $a = New-If; $b = New-If; $c = New-If
        Add-VethPair $a $b -Namespace $ns1 -PeerNamespace $ns2 | Out-Null
        $r = Set-NetLink -Namespace $ns1 -Name $a -Mtu 9000 -MacAddress '02-AA-BB-CC-DD-01' -PassThru
        $r.Mtu | Should -Be 9000
        $r.MacAddress | Should -Be '02:aa:bb:cc:dd:01'
        (Get-IpLink $ns1 $a).mtu | Should -Be 9000
        (Get-IpLink $ns1 $a).address | Should -Be '02:aa:bb:cc:dd:01'
        (Get-IpLink $ns2 $b).mtu | Should -Be 1500
        $r = Set-NetLink -Namespace $ns1 -Name $a -NewName $c -Up -PassThru
        $r.Name | Should -Be $c
        $r.AdminState | Should -Be 'UP'
        Test-IpLink $ns1 $a | Should -BeFalse
        Test-IpLink $ns1 $c | Should -BeTrue
        (Get-NetLink -Namespace $ns2 $b).PeerName | Should -Be $c
    }

    It 'Move-NetLink moves into a namespace and back to the root with -Destination ""' {
        $a = New-If; $b = New-If
        Add-VethPair $a $b | Out-Null
        $m = Move-NetLink $a -Destination $ns1 -PassThru
        $m.Namespace | Should -Be $ns1
        $m.Name | Should -Be $a
        $m.PeerName | Should -Be $b
        $m.PeerNamespace | Should -Be ''
        Test-IpLink '' $a | Should -BeFalse
        Test-IpLink $ns1 $a | Should -BeTrue
        (Get-NetLink $b).PeerNamespace | Should -Be $ns1

        $m = Get-NetLink -Namespace $ns1 $a | Move-NetLink -Destination '' -PassThru
        $m.Namespace | Should -Be ''
        $m.PeerNamespace | Should -Be ''
        $m.PeerName | Should -Be $b
        Test-IpLink '' $a | Should -BeTrue
        Test-IpLink $ns1 $a | Should -BeFalse
        Remove-NetLink $a
    }

    It 'Remove-NetLink deletes both ends of a veth' {
        $a = New-If; $b = New-If
        Add-VethPair $a $b -Namespace $ns1 | Out-Null
        Remove-NetLink -Namespace $ns1 -Name $a
        Test-IpLink $ns1 $a | Should -BeFalse
        Test-IpLink '' $b | Should -BeFalse
    }

    It 'Remove-NetLink takes links from the pipeline' {
        $a = New-If; $b = New-If; $c = New-If; $d = New-If
        Add-VethPair $a $b -Namespace $ns2 -PeerNamespace $ns2 | Out-Null
        Add-VethPair $c $d -Namespace $ns2 -PeerNamespace $ns2 | Out-Null
        Get-NetLink -Namespace $ns2 -Name $a, $c | Remove-NetLink
        foreach ($x in $a, $b, $c, $d) { Test-IpLink $ns2 $x | Should -BeFalse }
    }

    It 'Get-NetLink -Kind veth | Remove-NetLink removes pairs with both ends listed, without errors' {
        $n = New-Ns; $a = New-If; $b = New-If; $c = New-If; $d = New-If
        New-NetNamespace $n | Out-Null
        Add-VethPair $a $b -Namespace $n -PeerNamespace $n | Out-Null
        Add-VethPair $c $d -Namespace $n | Out-Null
        Get-NetLink -Namespace $n -Kind veth | Remove-NetLink -ErrorVariable ev
        $ev.Count | Should -Be 0
        Get-IpLinkNames $n | Should -Be @('lo')
        Test-IpLink '' $d | Should -BeFalse
    }

    It 'Add-VethPair refuses the invalid interface name <Display> with InvalidInterfaceName and creates nothing' -ForEach @(
        @{ Bad = 'abcdefghijklmnop'; Display = '16 bytes' }
        @{ Bad = 'éééééééé'; Display = '8 chars, 16 bytes' }
        @{ Bad = 'a/b'; Display = 'with /' }
        @{ Bad = 'a:b'; Display = 'with :' }
        @{ Bad = 'a b'; Display = 'with space' }
        @{ Bad = "a`nb"; Display = 'with newline' }
        @{ Bad = '-ab'; Display = 'leading -' }
    ) {
        $before = Get-IpLinkNames $ns1
        $ok = New-If
        $v = Add-VethPair -Name $Bad -PeerName $ok -Namespace $ns1 -PeerNamespace $ns1 -ErrorVariable ev -ErrorAction SilentlyContinue -Verbose 4>&1
        Assert-NetNsError $ev 'InvalidInterfaceName' 'InvalidArgument'
        $ev[0].Exception.Message | Should -BeLike '*-Name:*'
        @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
        Add-VethPair -Name $ok -PeerName $Bad -Namespace $ns1 -PeerNamespace $ns1 -ErrorVariable ev2 -ErrorAction SilentlyContinue
        Assert-NetNsError $ev2 'InvalidInterfaceName' 'InvalidArgument'
        $ev2[0].Exception.Message | Should -BeLike '*-PeerName:*'
        Get-IpLinkNames $ns1 | Should -Be $before
    }

    It 'refuses MTU <Mtu> with InvalidMtu and creates nothing' -ForEach @(@{ Mtu = 67 }, @{ Mtu = 65536 }, @{ Mtu = 0 }) {
        $a = New-If; $b = New-If
        Add-VethPair $a $b -Namespace $ns1 -Mtu $Mtu -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'InvalidMtu' 'InvalidArgument'
        $ev[0].Exception.Message | Should -BeLike '*-Mtu*'
        Test-IpLink $ns1 $a | Should -BeFalse
        Test-IpLink '' $b | Should -BeFalse
    }

    It 'accepts the MTU limits 68 and 65535' {
        $a = New-If; $b = New-If; $c = New-If; $d = New-If
        Add-VethPair $a $b -Namespace $ns1 -PeerNamespace $ns1 -Mtu 68 | Out-Null
        Add-VethPair $c $d -Namespace $ns1 -PeerNamespace $ns1 -Mtu 65535 | Out-Null
        (Get-IpLink $ns1 $b).mtu | Should -Be 68
        (Get-IpLink $ns1 $d).mtu | Should -Be 65535
    }

    It 'Add-VethPair with a missing -PeerNamespace creates nothing and writes NamespaceNotFound' {
        $a = New-If; $b = New-If; $missing = New-Ns
        Add-VethPair $a $b -Namespace $ns1 -PeerNamespace $missing -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'NamespaceNotFound' 'ObjectNotFound'
        $ev[0].Exception.Message | Should -BeLike '*-PeerNamespace*'
        Test-IpLink $ns1 $a | Should -BeFalse
        Add-VethPair $a $b -PeerNamespace $missing -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'NamespaceNotFound' 'ObjectNotFound'
        Test-IpLink '' $a | Should -BeFalse
    }

    It 'Add-VethPair refuses equal names in one namespace with InvalidPeerName' {
        $a = New-If
        Add-VethPair $a $a -Namespace $ns1 -PeerNamespace $ns1 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'InvalidPeerName' 'InvalidArgument'
        Test-IpLink $ns1 $a | Should -BeFalse
    }

    It 'Add-VethPair refuses an existing name with LinkExists and leaves the other name free' {
        $a = New-If; $b = New-If; $c = New-If
        Add-VethPair $a $b -Namespace $ns1 -PeerNamespace $ns2 | Out-Null
        Add-VethPair $c $b -Namespace $ns1 -PeerNamespace $ns2 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'LinkExists' 'ResourceExists'
        $ev[0].Exception.Message | Should -BeLike '*File exists*'
        Test-IpLink $ns1 $c | Should -BeFalse
    }

    It 'Get-NetLink writes LinkNotFound for a missing link and NamespaceNotFound for a missing namespace' {
        Get-NetLink -Namespace $ns1 -Name (New-If) -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'LinkNotFound' 'ObjectNotFound'
        Get-NetLink -Namespace (New-Ns) -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'NamespaceNotFound' 'ObjectNotFound'
        Get-NetLink -Name 'a/b' -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'InvalidInterfaceName' 'InvalidArgument'
    }

    It 'Set-NetLink -Name a, b changes every named link; -NewName and -MacAddress take one (OneLinkOnly)' {
        $a = New-If; $b = New-If
        Add-VethPair $a $b -Namespace $ns1 -PeerNamespace $ns1 | Out-Null
        $r = @(Set-NetLink -Namespace $ns1 -Name $a, $b -Up -Mtu 1400 -PassThru)
        $r.Name | Should -Be @($a, $b)
        foreach ($n in $a, $b) {
            (Get-IpLink $ns1 $n).flags | Should -Contain 'UP'
            (Get-IpLink $ns1 $n).mtu | Should -Be 1400
        }
        Set-NetLink -Namespace $ns1 -Name $a, $b -NewName (New-If) -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'OneLinkOnly' 'InvalidArgument'
        Test-IpLink $ns1 $a | Should -BeTrue
        Test-IpLink $ns1 $b | Should -BeTrue
    }

    It 'Set-NetLink validates before it runs anything' {
        $a = New-If; $b = New-If
        Add-VethPair $a $b -Namespace $ns1 -PeerNamespace $ns1 | Out-Null
        $mtu = (Get-IpLink $ns1 $a).mtu
        foreach ($case in @(
                @{ P = @{ Mtu = 67 }; Id = 'InvalidMtu' }
                @{ P = @{ Mtu = 65536 }; Id = 'InvalidMtu' }
                @{ P = @{ MacAddress = '02:00:00:00:00' }; Id = 'InvalidMacAddress' }
                @{ P = @{ MacAddress = 'zz:00:00:00:00:01' }; Id = 'InvalidMacAddress' }
                @{ P = @{ MacAddress = '01:00:5e:00:00:01' }; Id = 'InvalidMacAddress' }
                @{ P = @{ NewName = 'a:b' }; Id = 'InvalidInterfaceName' }
                @{ P = @{ NewName = 'abcdefghijklmnop' }; Id = 'InvalidInterfaceName' }
                @{ P = @{ Up = $true; Down = $true }; Id = 'ConflictingState' }
                @{ P = @{}; Id = 'NothingToChange' }
            )) {
            $p = $case.P
            $v = Set-NetLink -Namespace $ns1 -Name $a @p -ErrorVariable ev -ErrorAction SilentlyContinue -Verbose 4>&1
            Assert-NetNsError $ev $case.Id 'InvalidArgument'
            @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
        }
        (Get-IpLink $ns1 $a).mtu | Should -Be $mtu
        Get-IpLinkNames $ns1 | Should -Contain $a
    }

    It 'Set-NetLink, Move-NetLink and Remove-NetLink write LinkNotFound for a missing link' {
        $x = New-If
        Set-NetLink -Namespace $ns1 -Name $x -Up -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'LinkNotFound' 'ObjectNotFound'
        Move-NetLink -Namespace $ns1 -Name $x -Destination $ns2 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'LinkNotFound' 'ObjectNotFound'
        Remove-NetLink -Namespace $ns1 -Name $x -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'LinkNotFound' 'ObjectNotFound'
    }

    It 'Set-NetLink -NewName refuses a name in use with LinkExists' {
        $a = New-If; $b = New-If
        Add-VethPair $a $b -Namespace $ns1 -PeerNamespace $ns1 | Out-Null
        Set-NetLink -Namespace $ns1 -Name $a -NewName $b -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'LinkExists' 'ResourceExists'
    }

    It 'Move-NetLink refuses a missing destination, the same namespace and a name taken there' {
        $a = New-If; $b = New-If; $c = New-If
        Add-VethPair $a $b -Namespace $ns1 -PeerNamespace $ns2 | Out-Null
        Move-NetLink -Namespace $ns1 -Name $a -Destination (New-Ns) -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'NamespaceNotFound' 'ObjectNotFound'
        Move-NetLink -Namespace $ns1 -Name $a -Destination $ns1 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'SameNamespace' 'InvalidArgument'
        Add-VethPair $a $c -Namespace $ns2 -PeerNamespace $ns2 | Out-Null
        Move-NetLink -Namespace $ns1 -Name $a -Destination $ns2 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'LinkExists' 'ResourceExists'
        Test-IpLink $ns1 $a | Should -BeTrue
    }

    It '-WhatIf on Set-, Move- and Remove-NetLink changes nothing' {
        $a = New-If; $b = New-If
        Add-VethPair $a $b -Namespace $ns1 -PeerNamespace $ns2 | Out-Null
        Set-NetLink -Namespace $ns1 -Name $a -Mtu 1300 -Up -WhatIf
        Move-NetLink -Namespace $ns1 -Name $a -Destination '' -WhatIf
        Remove-NetLink -Namespace $ns1 -Name $a -WhatIf
        Add-VethPair (New-If) (New-If) -Namespace $ns1 -WhatIf | Out-Null
        $l = Get-IpLink $ns1 $a
        $l.mtu | Should -Be 1500
        $l.flags | Should -Not -Contain 'UP'
        Test-IpLink $ns2 $b | Should -BeTrue
    }

    It '-Verbose prints the ip command line of Add-VethPair' {
        $a = New-If; $b = New-If
        $v = @(Add-VethPair $a $b -Namespace $ns1 -PeerNamespace $ns2 -Mtu 1400 -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        # Made in process (rtnetlink): the equivalent ip command line is shown, marked as such.
        $v | Should -Contain "ip link add name $a mtu 1400 netns $ns1 type veth peer name $b mtu 1400 netns $ns2   (in process: rtnetlink)"
    }
}

Describe 'Add-NetAddress / Get-NetAddress / Remove-NetAddress' {
    BeforeAll {
        $script:ans = New-Ns
        $script:aa = New-If; $script:ab = New-If
        New-NetNamespace $ans | Add-VethPair -Name $aa -PeerName $ab -PeerNamespace $ans | Out-Null
        Set-NetLink -Namespace $ans -Name lo -Up
    }

    It 'adds IPv4 and IPv6 addresses and reads them back' {
        $r = @(Add-NetAddress -Namespace $ans -Name $aa 10.201.0.1/24, 'FD00:0:0:1::1/64')
        $r.Count | Should -Be 2
        $r[0].Cidr | Should -Be '10.201.0.1/24'
        $r[0].Address | Should -Be '10.201.0.1'
        $r[0].PrefixLength | Should -Be 24
        $r[0].Family | Should -Be 'IPv4'
        $r[0].Scope | Should -Be 'global'
        $r[0].Namespace | Should -Be $ans
        $r[0].Name | Should -Be $aa
        $r[1].Cidr | Should -Be 'fd00:0:0:1::1/64'
        $r[1].Family | Should -Be 'IPv6'
        Get-IpAddr $ans $aa | Should -Contain '10.201.0.1/24'
        Get-IpAddr $ans $aa | Should -Contain 'fd00:0:0:1::1/64'

        $g = @(Get-NetAddress -Namespace $ans -Name $aa)
        ($g | Where-Object Family -EQ 'IPv4').Cidr | Should -Be @('10.201.0.1/24')
        ($g | Where-Object Family -EQ 'IPv6').Cidr | Should -Contain 'fd00:0:0:1::1/64'
        @(Get-NetAddress -Namespace $ans -Name $aa -Family IPv4).Cidr | Should -Be @('10.201.0.1/24')
        $all = Get-NetAddress -Namespace $ans
        ($all | Where-Object Name -EQ 'lo').Cidr | Should -Contain '127.0.0.1/8'
    }

    It 'a link-local address comes back with scope link' {
        $r = Add-NetAddress -Namespace $ans -Name $ab 'fe80::1234/64'
        $r.Scope | Should -Be 'link'
        Remove-NetAddress -Namespace $ans -Name $ab 'fe80::1234/64'
    }

    It 'refuses an existing address with AddressExists' {
        Add-NetAddress -Namespace $ans -Name $ab 10.201.1.1/24 | Out-Null
        Add-NetAddress -Namespace $ans -Name $ab 10.201.1.1/24 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'AddressExists' 'ResourceExists'
    }

    It 'refuses the bad CIDR <Bad> with InvalidAddress and adds nothing' -ForEach @(
        @{ Bad = '10.201.2.1' }, @{ Bad = '10.201.2.1/33' }, @{ Bad = '10.201.2/24' }, @{ Bad = 'fd00::1/129' },
        @{ Bad = 'x/24' }, @{ Bad = '10.201.2.1/-1' }, @{ Bad = '10.201.2.1/24 ' }, @{ Bad = ' ' }
    ) {
        $before = Get-IpAddr $ans $ab
        Add-NetAddress -Namespace $ans -Name $ab -Address $Bad -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'InvalidAddress' 'InvalidArgument'
        $ev[0].Exception.Message | Should -BeLike '*-Address*'
        Get-IpAddr $ans $ab | Should -Be $before
    }

    It 'writes LinkNotFound and NamespaceNotFound for a missing link or namespace' {
        Add-NetAddress -Namespace $ans -Name (New-If) 10.201.3.1/24 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'LinkNotFound' 'ObjectNotFound'
        Add-NetAddress -Namespace (New-Ns) -Name $aa 10.201.3.1/24 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'NamespaceNotFound' 'ObjectNotFound'
        Get-NetAddress -Namespace $ans -Name (New-If) -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'LinkNotFound' 'ObjectNotFound'
        Remove-NetAddress -Namespace $ans -Name (New-If) 10.201.3.1/24 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'LinkNotFound' 'ObjectNotFound'
    }

    It 'Remove-NetAddress writes AddressNotFound for an address the link does not have' {
        Remove-NetAddress -Namespace $ans -Name $ab 10.201.9.9/24 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'AddressNotFound' 'ObjectNotFound'
        Remove-NetAddress -Namespace $ans -Name $ab 10.201.9.9 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'AddressNotFound' 'ObjectNotFound'
    }

    It 'Remove-NetAddress takes a bare address and looks up its prefix' {
        Add-NetAddress -Namespace $ans -Name $ab 10.201.4.1/26 | Out-Null
        Remove-NetAddress -Namespace $ans -Name $ab 10.201.4.1
        Get-IpAddr $ans $ab | Should -Not -Contain '10.201.4.1/26'
    }

    It '-WhatIf adds and removes nothing' {
        $before = Get-IpAddr $ans $ab
        $w = Add-NetAddress -Namespace $ans -Name $ab 10.201.5.1/24 -WhatIf
        $w.Cidr | Should -Be '10.201.5.1/24'
        Remove-NetAddress -Namespace $ans -Name $ab 10.201.1.1/24 -WhatIf
        Get-IpAddr $ans $ab | Should -Be $before
    }

    It 'Get-NetAddress | Remove-NetAddress removes every address of the link' {
        Add-NetAddress -Namespace $ans -Name $aa 10.201.6.1/24, 10.201.7.1/16, fd00:0:0:7::1/64 | Out-Null
        Get-NetAddress -Namespace $ans -Name $aa | Remove-NetAddress
        @(Get-NetAddress -Namespace $ans -Name $aa).Count | Should -Be 0
        @(Get-IpAddr $ans $aa).Count | Should -Be 0
    }
}

Describe 'Invoke-InNamespace' {
    BeforeAll {
        $script:ins = New-Ns
        New-NetNamespace $ins | Out-Null
    }

    It 'streams output lines while the command runs' {
        $t0 = Get-Date
        $seen = Invoke-InNamespace $ins -- sh -c 'echo first; sleep 1.5; echo second' |
            ForEach-Object { [pscustomobject]@{ Line = $_; At = ((Get-Date) - $t0).TotalSeconds } }
        $seen.Line | Should -Be @('first', 'second')
        ($seen[1].At - $seen[0].At) | Should -BeGreaterThan 1.0
        $LASTEXITCODE | Should -Be 0
    }

    It 'runs in the namespace: /sys/class/net and ip link show only its links' {
        Invoke-InNamespace $ins ls /sys/class/net | Should -Be @('lo')
        $j = (Invoke-InNamespace $ins -- ip -j link show) -join "`n" | ConvertFrom-Json
        @($j.ifname) | Should -Be @('lo')
    }

    It 'sets $LASTEXITCODE and writes NativeCommandFailed on a non-zero exit' {
        $out = Invoke-InNamespace $ins -ErrorVariable ev -ErrorAction SilentlyContinue -- sh -c 'echo out; exit 7'
        $out | Should -Be 'out'
        $LASTEXITCODE | Should -Be 7
        Assert-NetNsError $ev 'NativeCommandFailed' 'InvalidResult'
        $ev[0].Exception.Message | Should -BeLike '*status 7*'
    }

    It '-IgnoreExitCode writes no error but still sets $LASTEXITCODE' {
        Invoke-InNamespace $ins -IgnoreExitCode -ErrorVariable ev -- sh -c 'exit 3'
        $LASTEXITCODE | Should -Be 3
        $ev.Count | Should -Be 0
    }

    It 'passes arguments verbatim: spaces, quotes, ; $(...) and * arrive unchanged' {
        $argv = @('a b', '"dq"', "'sq'", ';', 'x; echo injected', '$(id)', '`id`', '*', '-c', '--', '$HOME', '')
        $out = Invoke-InNamespace $ins printf '%s\n' @argv
        $out | Should -Be $argv
        $LASTEXITCODE | Should -Be 0
    }

    It 'the documented -- form passes ping switches through' {
        $out = Invoke-InNamespace $ins -IgnoreExitCode -- ping -c 1 -W 1 127.0.0.1 6>$null
        $LASTEXITCODE | Should -Be 2   # lo is down in a fresh namespace: connect: Network is unreachable
        Invoke-InNamespace $ins -- ip link set lo up
        $out = Invoke-InNamespace $ins -- ping -c 1 -W 1 127.0.0.1
        $LASTEXITCODE | Should -Be 0
        ($out -join "`n") | Should -BeLike '*1 packets transmitted, 1 received*'
    }

    It 'runs a script block there and returns objects, with arguments' {
        $r = Invoke-InNamespace $ins {
            param($x, $y)
            [pscustomobject]@{ Links = @(Get-ChildItem /sys/class/net | ForEach-Object Name); Sum = $x + $y; Text = "$y" }
        } -ArgumentList 2, 40
        $r.Links | Should -Be @('lo')
        $r.Sum | Should -Be 42
        $r.Text | Should -Be '40'
    }

    It 'a command and a script block see /etc/netns/NAME/ files, as ip netns exec does' {
        $dir = "/etc/netns/$ins"
        $script:EtcDirs.Add($dir)
        if (-not (Test-Path /etc/netns)) { $script:EtcParentCreated = $true }
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
        Set-Content -Path "$dir/resolv.conf" -Value "nameserver 192.0.2.53 # $ins"
        Invoke-InNamespace $ins cat /etc/resolv.conf | Should -Be "nameserver 192.0.2.53 # $ins"
        Invoke-InNamespace $ins { Get-Content /etc/resolv.conf } | Should -Be "nameserver 192.0.2.53 # $ins"
        Get-Content /etc/resolv.conf | Should -Not -Be "nameserver 192.0.2.53 # $ins"
        Remove-Item -Recurse -Force $dir
        Test-Path $dir | Should -BeFalse
    }

    It 'writes NamespaceNotFound for a missing namespace and runs nothing' {
        $out = Invoke-InNamespace (New-Ns) echo hi -ErrorVariable ev -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        Assert-NetNsError $ev 'NamespaceNotFound' 'ObjectNotFound'
    }

    It 'runs in the root namespace with -Namespace ""' {
        $out = Invoke-InNamespace '' ls /sys/class/net
        $out | Should -Be @(Get-ChildItem /sys/class/net | ForEach-Object Name | Sort-Object)
        Invoke-InNamespace '' -ErrorVariable ev -ErrorAction SilentlyContinue -- sh -c 'exit 4'
        $LASTEXITCODE | Should -Be 4
        $ev[0].Exception.Message | Should -BeLike '*in the root namespace*'
    }

    It '-Verbose prints the ip netns exec command line' {
        $v = @(Invoke-InNamespace $ins -Verbose -- echo 'a b' 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $v | Should -Contain "ip netns exec $ins echo 'a b'"
    }
}

Describe 'Test-NetNamespaceConnection' {
    BeforeAll {
        $script:p1 = New-Ns; $script:p2 = New-Ns
        $script:pa = New-If; $script:pb = New-If
        New-NetNamespace $p1, $p2 | Out-Null
        Add-VethPair $pa $pb -Namespace $p1 -PeerNamespace $p2 | Out-Null
        Get-NetLink -Namespace $p1 | Set-NetLink -Up
        Get-NetLink -Namespace $p2 | Set-NetLink -Up
        Add-NetAddress -Namespace $p1 -Name $pa 10.202.0.1/24 | Out-Null
        Add-NetAddress -Namespace $p2 -Name $pb 10.202.0.2/24 | Out-Null
    }

    It 'pings between two namespaces and returns a result object' {
        $r = Test-NetNamespaceConnection $p1 10.202.0.2 -Count 3
        $r.Namespace | Should -Be $p1
        $r.Target | Should -Be '10.202.0.2'
        $r.Sent | Should -Be 3
        $r.Received | Should -Be 3
        $r.LossPercent | Should -Be 0
        $r.Success | Should -BeTrue
        $r.MinRttMs | Should -BeGreaterThan 0
        $r.AvgRttMs | Should -BeGreaterOrEqual $r.MinRttMs
        $r.MaxRttMs | Should -BeGreaterOrEqual $r.AvgRttMs
        $r.Error | Should -BeNullOrEmpty
    }

    It 'an address nobody has gives a result with 100% loss, not an error' {
        $r = Test-NetNamespaceConnection $p1 10.202.0.99 -Count 2 -TimeoutSeconds 1 -ErrorVariable ev
        $ev.Count | Should -Be 0
        $r.Sent | Should -Be 2
        $r.Received | Should -Be 0
        $r.LossPercent | Should -Be 100
        $r.Success | Should -BeFalse
        $r.AvgRttMs | Should -BeNullOrEmpty
    }

    It 'an unreachable network gives a result with the error text' {
        $r = Test-NetNamespaceConnection $p1 10.203.0.1 -Count 1 -ErrorVariable ev
        $ev.Count | Should -Be 0
        $r.Success | Should -BeFalse
        $r.Received | Should -Be 0
        $r.LossPercent | Should -Be 100
        $r.Error | Should -BeLike '*Network is unreachable*'
    }

    It '-Quiet returns $true or $false' {
        Test-NetNamespaceConnection $p2 10.202.0.1 -Count 1 -Quiet | Should -BeExactly $true
        Test-NetNamespaceConnection $p2 10.202.0.99 -Count 1 -Quiet | Should -BeExactly $false
    }

    It 'takes the namespace and target from the pipeline' {
        $r = [pscustomobject]@{ Namespace = $p2; Target = '10.202.0.1' } | Test-NetNamespaceConnection -Count 1
        $r.Success | Should -BeTrue
    }

    It 'writes NamespaceNotFound and InvalidTarget' {
        Test-NetNamespaceConnection (New-Ns) 10.202.0.1 -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'NamespaceNotFound' 'ObjectNotFound'
        Test-NetNamespaceConnection $p1 '-f' -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'InvalidTarget' 'InvalidArgument'
    }
}

Describe 'Enter-NetNamespace' {
    It 'starts the shell inside the namespace with NETNS set, and returns' {
        $n = New-Ns
        New-NetNamespace $n | Out-Null
        $tmp = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "netns-enter-$n")
        $out = "$tmp.out"
        try {
            Set-Content -Path $tmp -Value "#!/bin/sh`necho `"`$NETNS`" > '$out'`nls /sys/class/net >> '$out'`n"
            & chmod 755 $tmp
            Enter-NetNamespace $n -Shell $tmp 6>&1 | Out-Null
            Get-Content $out | Should -Be @($n, 'lo')
        } finally {
            Remove-Item $tmp, $out -ErrorAction SilentlyContinue
        }
    }

    It 'writes NamespaceNotFound for a missing namespace' {
        Enter-NetNamespace (New-Ns) -Shell /bin/true -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'NamespaceNotFound' 'ObjectNotFound'
    }
}

Describe 'Without root' {
    BeforeAll {
        # pwsh must start as nobody: the dotnet tool lives under /root (mode 0700), so pwsh's own folder is
        # copied to a private temp folder that nobody can read, when the original is not readable.
        $script:nobodyDir = Join-Path ([System.IO.Path]::GetTempPath()) (New-TestName 'netns-nobody-')
        New-Item -ItemType Directory -Path $nobodyDir | Out-Null
        $pwshDll = Join-Path $PSHOME 'pwsh.dll'
        & setpriv --reuid=nobody --regid=nogroup --clear-groups test -r $pwshDll
        if ($LASTEXITCODE -ne 0) {
            Copy-Item -Recurse $PSHOME (Join-Path $nobodyDir 'pwsh')
            $pwshDll = Join-Path $nobodyDir 'pwsh/pwsh.dll'
        }
        # The same for the module: a clone under a folder other users cannot read (/root, mode 0700) hides it from nobody.
        $module = (Resolve-Path $script:NetNsModule).Path
        & setpriv --reuid=nobody --regid=nogroup --clear-groups test -r $module
        if ($LASTEXITCODE -ne 0) {
            Copy-Item -Recurse (Split-Path -Parent $module) (Join-Path $nobodyDir 'NetNs')
            $module = Join-Path $nobodyDir (Join-Path 'NetNs' (Split-Path -Leaf $module))
        }
        New-Item -ItemType Directory -Path (Join-Path $nobodyDir 'home') | Out-Null
        & chmod -R a+rX $nobodyDir
        & chown nobody (Join-Path $nobodyDir 'home')

        # A namespace and a veth the non-root run must not be able to touch.
        $script:rn = New-Ns; $script:ra = New-If; $script:rb = New-If
        New-NetNamespace $rn | Add-VethPair -Name $ra -PeerName $rb | Out-Null
        $script:newName = New-Ns

        # One pwsh as nobody runs every cmdlet and reports 'Cmdlet|FullyQualifiedErrorId|Category|Message'.
        $lines = @(
            "New-NetNamespace $newName"
            "Remove-NetNamespace $rn -Force"
            "Enter-NetNamespace $rn -Shell /bin/true"
            "Invoke-InNamespace $rn -- true"
            "Add-VethPair x$ra x$rb"
            "Move-NetLink $rb -Destination $rn"
            "Set-NetLink $rb -Up"
            "Remove-NetLink $rb"
            "Add-NetAddress -Name $rb 10.204.0.1/24"
            "Remove-NetAddress -Name $rb 10.204.0.1/24"
            "Test-NetNamespaceConnection '' 127.0.0.1 -Count 1"
        )
        $body = foreach ($l in $lines) {
            $cmd = ($l -split ' ')[0]
            "try { `$null = $l -ErrorAction Stop; '$cmd|none||' } catch { '$cmd|' + `$_.FullyQualifiedErrorId + '|' + `$_.CategoryInfo.Category + '|' + `$_.Exception.Message }"
        }
        $body += "'Get-NetLink|' + (@(Get-NetLink lo).Name -join ',')"
        $body += "'Get-NetNamespace|' + (@(Get-NetNamespace $rn).Name -join ',')"
        $script = "Import-Module '$module'`n" + ($body -join "`n")
        # Started in a directory nobody may enter (the clone's, under /root): NetNs's own tools must not depend on it.
        $out = & setpriv --reuid=nobody --regid=nogroup --clear-groups env "HOME=$nobodyDir/home" "DOTNET_CLI_HOME=$nobodyDir/home" DOTNET_NOLOGO=1 `
            dotnet $pwshDll -NoProfile -NonInteractive -Command $script 2>&1
        $script:results = @{}
        foreach ($o in $out) {
            $parts = "$o" -split '\|', 4
            if ($parts.Count -ge 2) { $script:results[$parts[0]] = $parts }
        }
        $script:rawOut = $out -join "`n"
    }
    AfterAll { if ($script:nobodyDir -and (Test-Path $script:nobodyDir)) { Remove-Item -Recurse -Force $script:nobodyDir } }

    It '<_> as nobody stops with the one NotRoot PermissionDenied error' -ForEach @(
        'New-NetNamespace', 'Remove-NetNamespace', 'Enter-NetNamespace', 'Invoke-InNamespace', 'Add-VethPair', 'Move-NetLink',
        'Set-NetLink', 'Remove-NetLink', 'Add-NetAddress', 'Remove-NetAddress', 'Test-NetNamespaceConnection'
    ) {
        $r = $results[$_]
        $r | Should -Not -BeNullOrEmpty -Because $rawOut
        $r[1] | Should -BeLike 'NotRoot,*'
        $r[2] | Should -Be 'PermissionDenied'
        $r[3] | Should -BeLike '*needs root*CAP_NET_ADMIN*'
    }

    It 'changed nothing' {
        "/run/netns/$newName" | Should -Not -Exist
        "/run/netns/$rn" | Should -Exist
        Test-IpLink '' $rb | Should -BeTrue
        (Get-IpLink '' $rb).flags | Should -Not -Contain 'UP'
        Test-IpLink '' "x$ra" | Should -BeFalse
        Get-IpAddr '' $rb | Should -Not -Contain '10.204.0.1/24'
    }

    It 'Get-NetLink and Get-NetNamespace read without root' {
        $results['Get-NetLink'][1] | Should -Be 'lo'
        $results['Get-NetNamespace'][1] | Should -Be $rn
    }
}

Describe 'Table views' {
    It 'has a table view for <Type>' -ForEach @(
        @{ Type = 'NetNs.Core.Models.NetNamespace'; Columns = @('Name', 'Id', 'ProcessIds') }
        @{ Type = 'NetNs.Core.Models.NetLink'; Columns = @('Namespace', 'Name', 'Kind', 'State', 'Mtu', 'MacAddress', 'Peer/Master') }
        @{ Type = 'NetNs.Core.Models.VethPair'; Columns = @('Namespace', 'Name', 'PeerNamespace', 'PeerName', 'Mtu') }
        @{ Type = 'NetNs.Core.Models.NetAddress'; Columns = @('Namespace', 'Name', 'Cidr', 'Family', 'Scope') }
        @{ Type = 'NetNs.Core.Models.PingResult'; Columns = @('Namespace', 'Target', 'Sent', 'Received', 'LossPercent', 'AvgRttMs', 'Success') }
    ) {
        $f = Get-FormatData -TypeName $Type
        $f | Should -Not -BeNullOrEmpty
        $table = @($f.FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })
        $table.Count | Should -Be 1
        $labels = $table[0].Control.Headers.Label
        foreach ($c in $Columns) { $labels | Should -Contain $c }
    }

    It 'shows links like ip -br link, the root namespace as (root) and the peer as name@namespace' {
        $n = New-Ns; $a = New-If; $b = New-If
        New-NetNamespace $n | Add-VethPair -Name $a -PeerName $b -Mtu 1400 | Out-Null
        $inner = (Get-NetLink -Namespace $n -Name $a | Out-String -Width 250) -split "`n" | Where-Object { $_ -match $a }
        $inner | Should -Match "^$n\s+$a\s+veth\s+DOWN/DOWN\s+1400\s+([0-9a-f]{2}:){5}[0-9a-f]{2}\s+$b@\(root\)"
        $outer = (Get-NetLink -Name $b | Out-String -Width 250) -split "`n" | Where-Object { $_ -match $b }
        $outer | Should -Match "^\(root\)\s+$b\s+veth\s+DOWN/DOWN\s+1400\s+\S+\s+$a@$n"
        $v = (Add-VethPair (New-If) (New-If) -Namespace $n -WhatIf 6>$null | Out-String -Width 250)
        $v | Should -Match '\(root\)'
    }
}

Describe 'Cmdlet metadata' {
    It '<_> declares [OutputType]' -ForEach @(
        'New-NetNamespace', 'Get-NetNamespace', 'Remove-NetNamespace', 'Enter-NetNamespace', 'Invoke-InNamespace',
        'Get-NetLink', 'Add-VethPair', 'Move-NetLink', 'Set-NetLink', 'Remove-NetLink',
        'Add-NetAddress', 'Get-NetAddress', 'Remove-NetAddress', 'Test-NetNamespaceConnection'
    ) {
        $c = Get-Command $_ -Module NetNs
        $c.ImplementingType.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $false).Count | Should -BeGreaterThan 0
    }

    It '<_> supports -WhatIf and -Confirm' -ForEach @(
        'New-NetNamespace', 'Remove-NetNamespace', 'Add-VethPair', 'Move-NetLink', 'Set-NetLink', 'Remove-NetLink', 'Add-NetAddress', 'Remove-NetAddress'
    ) {
        $p = (Get-Command $_ -Module NetNs).Parameters
        $p.ContainsKey('WhatIf') | Should -BeTrue
        $p.ContainsKey('Confirm') | Should -BeTrue
    }
}
