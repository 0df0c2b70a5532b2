# Routes, router namespaces (forwarding) and IPv6 duplicate address detection on the real kernel. Everything lives in
# namespaces this file creates (veth pairs between them, no bridge, nothing in the root namespace); traffic goes only to
# addresses inside them. AfterAll removes them all.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:namespaces = [System.Collections.Generic.List[string]]::new()
    function New-RouteNamespace([string] $Prefix) {
        $n = New-TestName $Prefix
        $script:namespaces.Add($n)
        New-NetNamespace $n -ErrorAction Stop | Out-Null
        $n
    }
    # A veth pair between two namespaces, both ends up (lo too).
    function Connect-RouteNamespace([string] $A, [string] $AName, [string] $B, [string] $BName) {
        Add-VethPair -Name $AName -Namespace $A -PeerName $BName -PeerNamespace $B -ErrorAction Stop | Out-Null
        Get-NetLink -Namespace $A | Set-NetLink -Up -ErrorAction Stop
        Get-NetLink -Namespace $B | Set-NetLink -Up -ErrorAction Stop
    }
    # What 'ip -j route' shows of a route, as a comparable line: dst, gateway, dev, metric (IPv4: only when not 0), protocol (when not boot), scope (when not global).
    function Format-IpRoute($r) {
        "$($r.dst) gw=$($r.gateway) dev=$($r.dev) metric=$(if ($null -ne $r.metric) { $r.metric } else { 0 }) proto=$(if ($r.protocol) { $r.protocol } else { 'boot' }) scope=$(if ($r.scope) { $r.scope } else { 'global' })"
    }
    function Format-NetNsRoute($r) {
        "$($r.Destination) gw=$($r.Gateway) dev=$($r.Interface) metric=$($r.Metric) proto=$($r.Protocol) scope=$($r.Scope)"
    }
    # What-if messages go to the host, not to a stream: run the line in a child pwsh and return its text.
    function Invoke-ChildPwsh([string] $Script) {
        $exe = [Environment]::ProcessPath
        $pre = @()
        if ((Split-Path -Leaf $exe) -ne 'pwsh') { $pre = @(Join-Path $PSHOME 'pwsh.dll') }
        (& $exe @pre -NoProfile -NonInteractive -Command "Import-Module '$script:NetNsModule'; $Script" 2>&1 | Out-String)
    }
    function Get-IpRoute([string] $Namespace, [switch] $V6) {
        $a = @('-j', '-n', $Namespace); if ($V6) { $a += '-6' }
        @((& ip @a route show) | ConvertFrom-Json) | ForEach-Object { Format-IpRoute $_ }
    }
}

AfterAll {
    Remove-TestNamespace $script:namespaces
}

Describe 'Add-NetNsRoute, Get-NetNsRoute and Remove-NetNsRoute' {
    BeforeAll {
        $script:a = New-RouteNamespace 'ra'
        $script:b = New-RouteNamespace 'rb'
        $script:ea = New-TestName 'ea'; $script:eb = New-TestName 'eb'
        Connect-RouteNamespace $a $ea $b $eb
        Add-NetAddress -Name $ea -Namespace $a 10.71.0.1/24, fd71::1/64 -SkipDad -ErrorAction Stop | Out-Null
    }

    It 'adds IPv4 and IPv6 routes (default, via, dev, metric) that read back identically with ip -j route' {
        $added = @(
            Add-NetNsRoute -Namespace $a default 10.71.0.254 -ErrorAction Stop
            Add-NetNsRoute -Namespace $a 10.72.0.0/16 10.71.0.2 -Metric 50 -ErrorAction Stop
            Add-NetNsRoute -Namespace $a 10.73.7.7 -Interface $ea -ErrorAction Stop
            Add-NetNsRoute -Namespace $a default fd71::fe -ErrorAction Stop
            Add-NetNsRoute -Namespace $a fd72::/64 -Gateway fd71::2 -Metric 7 -ErrorAction Stop
            Add-NetNsRoute -Namespace $a fd73::/64 -Gateway fe80::1 -Interface $ea -ErrorAction Stop
        )
        $added.Count | Should -Be 6
        $added | ForEach-Object { $_.Interface | Should -Be $ea; $_.Namespace | Should -Be $a }
        $added[1].Metric | Should -Be 50
        $added[3].Metric | Should -Be 1024
        $added[3].Family | Should -Be 'IPv6'
        $ours = @(Get-NetNsRoute -Namespace $a -Family IPv4 | ForEach-Object { Format-NetNsRoute $_ })
        $ours | Should -Be @(Get-IpRoute $a)
        $ours6 = @(Get-NetNsRoute -Namespace $a -Family IPv6 | ForEach-Object { Format-NetNsRoute $_ })
        # ip prints no scope for IPv6 routes (they are all universe); NetNs says global.
        $ours6 | Should -Be @(Get-IpRoute $a -V6)
        @(Get-NetNsRoute -Namespace $a).Count | Should -Be ($ours.Count + $ours6.Count)
        @(Get-NetNsRoute -Namespace $a -Destination default).Count | Should -Be 2
        @(Get-NetNsRoute -Namespace $a -Destination 10.73.7.7/32).Count | Should -Be 1
    }

    It 'reads and writes another table only when asked' {
        $r = Add-NetNsRoute -Namespace $a 10.74.0.0/24 -Interface $ea -Table 100 -ErrorAction Stop
        $r.Table | Should -Be 100
        @(Get-NetNsRoute -Namespace $a -Destination 10.74.0.0/24).Count | Should -Be 0
        @(Get-NetNsRoute -Namespace $a -Table 100).Destination | Should -Be @('10.74.0.0/24')
        @(Get-NetNsRoute -Namespace $a -AllTables | Where-Object Table -eq 255).Count | Should -BeGreaterThan 0
        (& ip -j -n $a route show table 100 | ConvertFrom-Json).dst | Should -Be '10.74.0.0/24'
        Get-NetNsRoute -Namespace $a -Table 100 | Remove-NetNsRoute -ErrorAction Stop
        @(& ip -j -n $a route show table 100 2>$null | ConvertFrom-Json | Where-Object { $_.dst }).Count | Should -Be 0
    }

    It 'shows the ip route line in -Verbose and -WhatIf, and -WhatIf changes nothing' {
        $before = @(Get-IpRoute $a)
        $v = Invoke-ChildPwsh "Add-NetNsRoute -Namespace $a 10.75.0.0/16 10.71.0.2 -WhatIf | Select-Object -ExpandProperty Exists"
        $v | Should -Match ([regex]::Escape("What if: Performing the operation `"ip -n $a route add 10.75.0.0/16 via 10.71.0.2`""))
        $v | Should -Match 'False'
        @(Get-IpRoute $a) | Should -Be $before
        $v = Add-NetNsRoute -Namespace $a 10.75.0.0/16 10.71.0.2 -Verbose -ErrorAction Stop 4>&1 | Out-String
        $v | Should -Match ([regex]::Escape("ip -n $a route add 10.75.0.0/16 via 10.71.0.2   (in process: rtnetlink)"))
        $v = Remove-NetNsRoute -Namespace $a 10.75.0.0/16 -Verbose -Confirm:$false -ErrorAction Stop 4>&1 | Out-String
        $v | Should -Match ([regex]::Escape("ip -n $a route del 10.75.0.0/16   (in process: rtnetlink)"))
    }

    It 'refuses bad input with InvalidArgument before anything changes' -TestCases @(
        @{ Dst = '10.80.0.0/33'; Gw = '10.71.0.2'; Id = 'InvalidRouteDestination' }
        @{ Dst = 'fd80::/129'; Gw = 'fd71::2'; Id = 'InvalidRouteDestination' }
        @{ Dst = '10.80.0.1/16'; Gw = '10.71.0.2'; Id = 'InvalidRouteDestination' }
        @{ Dst = 'default/0'; Gw = '10.71.0.2'; Id = 'InvalidRouteDestination' }
        @{ Dst = '10.80.0/16'; Gw = '10.71.0.2'; Id = 'InvalidRouteDestination' }
        @{ Dst = '10.80.0.0/16'; Gw = 'fd71::2'; Id = 'InvalidGateway' }
        @{ Dst = 'fd80::/64'; Gw = '10.71.0.2'; Id = 'InvalidGateway' }
        @{ Dst = 'fd80::/64'; Gw = 'fe80::1'; Id = 'InvalidGateway' }
        @{ Dst = '10.80.0.0/16'; Gw = '10.71.0.2/24'; Id = 'InvalidGateway' }
        @{ Dst = '10.80.0.0/16'; Gw = $null; Id = 'NextHopRequired' }
    ) {
        param($Dst, $Gw, $Id)
        $before = @(Get-IpRoute $a) + @(Get-IpRoute $a -V6)
        Add-NetNsRoute -Namespace $a $Dst -Gateway $Gw -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-NetNsError $e $Id 'InvalidArgument'
        @(Get-IpRoute $a) + @(Get-IpRoute $a -V6) | Should -Be $before
    }

    It 'maps kernel refusals: <Id>' -TestCases @(
        @{ Dst = '10.81.0.0/24'; Gw = '10.99.0.1'; Dev = $null; Id = 'GatewayUnreachable'; Category = 'InvalidArgument' }
        @{ Dst = 'fd81::/64'; Gw = 'fd99::1'; Dev = $null; Id = 'GatewayUnreachable'; Category = 'InvalidArgument' }
        @{ Dst = '10.72.0.0/16'; Gw = '10.71.0.2'; Dev = $null; Id = 'RouteExists'; Category = 'ResourceExists'; Metric = 50 }
        @{ Dst = '10.81.0.0/24'; Gw = $null; Dev = 'nosuchlink0'; Id = 'LinkNotFound'; Category = 'ObjectNotFound' }
    ) {
        param($Dst, $Gw, $Dev, $Id, $Category, $Metric)
        $before = @(Get-IpRoute $a) + @(Get-IpRoute $a -V6)
        $p = @{ Namespace = $a; Destination = $Dst }
        if ($Gw) { $p.Gateway = $Gw }; if ($Dev) { $p.Interface = $Dev }; if ($Metric) { $p.Metric = $Metric }
        Add-NetNsRoute @p -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-NetNsError $e $Id $Category
        @(Get-IpRoute $a) + @(Get-IpRoute $a -V6) | Should -Be $before
    }

    It 'writes RouteNotFound and NamespaceNotFound' {
        Remove-NetNsRoute -Namespace $a 10.82.0.0/16 -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'RouteNotFound' 'ObjectNotFound'
        Get-NetNsRoute -Namespace 'nosuchns-routes' -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'NamespaceNotFound' 'ObjectNotFound'
        Add-NetNsRoute -Namespace 'nosuchns-routes' default -Interface x -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'NamespaceNotFound' 'ObjectNotFound'
    }

    It 'removes piped routes and leaves only the kernel''s own' {
        Get-NetNsRoute -Namespace $a | Where-Object Protocol -ne 'kernel' | Remove-NetNsRoute -Confirm:$false -ErrorAction Stop
        @((& ip -j -n $a route show) | ConvertFrom-Json | Where-Object { $_.protocol -ne 'kernel' }).Count | Should -Be 0
        @((& ip -j -n $a -6 route show) | ConvertFrom-Json | Where-Object { $_.protocol -ne 'kernel' }).Count | Should -Be 0
        @(Get-NetNsRoute -Namespace $a | Where-Object Protocol -ne 'kernel').Count | Should -Be 0
    }
}

Describe 'A router namespace between two subnets' {
    BeforeAll {
        $script:h1 = New-RouteNamespace 'rh'
        $script:r = New-RouteNamespace 'rr'
        $script:h2 = New-RouteNamespace 'rh'
        Connect-RouteNamespace $h1 'eth0' $r 'eth1'
        Connect-RouteNamespace $h2 'eth0' $r 'eth2'
        Add-NetAddress -Name eth0 -Namespace $h1 10.91.1.2/24, fd91:1::2/64 -ErrorAction Stop | Out-Null
        Add-NetAddress -Name eth1 -Namespace $r 10.91.1.1/24, fd91:1::1/64 -ErrorAction Stop | Out-Null
        Add-NetAddress -Name eth2 -Namespace $r 10.91.2.1/24, fd91:2::1/64 -ErrorAction Stop | Out-Null
        Add-NetAddress -Name eth0 -Namespace $h2 10.91.2.2/24, fd91:2::2/64 -ErrorAction Stop | Out-Null
        foreach ($h in @(@{ Ns = $h1; Gw = '10.91.1.1'; Gw6 = 'fd91:1::1' }, @{ Ns = $h2; Gw = '10.91.2.1'; Gw6 = 'fd91:2::1' })) {
            Add-NetNsRoute -Namespace $h.Ns default $h.Gw -ErrorAction Stop | Out-Null
            Add-NetNsRoute -Namespace $h.Ns default $h.Gw6 -ErrorAction Stop | Out-Null
        }
        function Test-Across([string] $Target) { (Test-NetNamespaceConnection $h1 $Target -Count 1 -TimeoutSeconds 1).Success }
    }

    It 'is a host until forwarding is enabled: Get-NetNamespace shows it' {
        $ns = Get-NetNamespace $r
        $ns.IPv4Forwarding | Should -BeFalse
        $ns.IPv6Forwarding | Should -BeFalse
        Test-Across 10.91.2.2 | Should -BeFalse
        Set-NetNamespace $r -Forwarding Enabled -ErrorAction Stop
        $ns = Get-NetNamespace $r
        $ns.IPv4Forwarding | Should -BeTrue
        $ns.IPv6Forwarding | Should -BeTrue
        (& ip netns exec $r cat /proc/sys/net/ipv4/ip_forward) | Should -Be '1'
        (& ip netns exec $r cat /proc/sys/net/ipv6/conf/all/forwarding) | Should -Be '1'
        (Get-NetNamespace $h1).IPv4Forwarding | Should -BeFalse
    }

    It 'forwards IPv4 and IPv6 between the subnets with forwarding on' {
        Test-Across 10.91.2.2 | Should -BeTrue
        Test-Across fd91:2::2 | Should -BeTrue
    }

    It 'stops forwarding one family with -Family, and -PassThru shows it' {
        $ns = Set-NetNamespace $r -Forwarding Disabled -Family IPv4 -PassThru -ErrorAction Stop
        $ns.IPv4Forwarding | Should -BeFalse
        $ns.IPv6Forwarding | Should -BeTrue
        Test-Across 10.91.2.2 | Should -BeFalse
        Test-Across fd91:2::2 | Should -BeTrue
        Set-NetNamespace $r -Forwarding Enabled -Family IPv4 -ErrorAction Stop
        Test-Across 10.91.2.2 | Should -BeTrue
    }

    It 'fails without the return route and works again when it is back' {
        Remove-NetNsRoute -Namespace $h2 default -Family IPv4 -Confirm:$false -ErrorAction Stop
        Test-Across 10.91.2.2 | Should -BeFalse
        Add-NetNsRoute -Namespace $h2 default 10.91.2.1 -ErrorAction Stop | Out-Null
        Test-Across 10.91.2.2 | Should -BeTrue
    }

    It 'Set-NetNamespace writes NamespaceNotFound and previews with -WhatIf' {
        Set-NetNamespace 'nosuchns-routes' -Forwarding Enabled -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'NamespaceNotFound' 'ObjectNotFound'
        $w = Invoke-ChildPwsh "Set-NetNamespace $h1 -Forwarding Enabled -WhatIf"
        $w | Should -Match ([regex]::Escape("ip netns exec $h1 sysctl -w net.ipv4.ip_forward=1"))
        (Get-NetNamespace $h1).IPv4Forwarding | Should -BeFalse
    }
}

Describe 'IPv6 addresses are usable when Add-NetAddress returns' {
    BeforeAll {
        $script:d1 = New-RouteNamespace 'rd'
        $script:d2 = New-RouteNamespace 'rd'
        Connect-RouteNamespace $d1 'eth0' $d2 'eth0'
    }

    It 'waits for duplicate address detection, so a ping right after works' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        Add-NetAddress -Name eth0 -Namespace $d2 fd95::2/64 -ErrorAction Stop | Out-Null
        Add-NetAddress -Name eth0 -Namespace $d1 fd95::1/64 -ErrorAction Stop | Out-Null
        $sw.Stop()
        Write-Host "  two IPv6 addresses with DAD: $($sw.ElapsedMilliseconds) ms"
        $flags = (& ip -j -n $d1 -6 address show dev eth0 | ConvertFrom-Json).addr_info | Where-Object local -eq 'fd95::1'
        $flags.tentative | Should -BeNullOrEmpty
        (Test-NetNamespaceConnection $d1 fd95::2 -Count 1 -TimeoutSeconds 2).Success | Should -BeTrue
    }

    It 'writes DuplicateAddress when another host holds the address, and removes it again' {
        Add-NetAddress -Name eth0 -Namespace $d2 fd95::1/64 -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-NetNsError $e 'DuplicateAddress' 'ResourceExists'
        @((& ip -j -n $d2 -6 address show dev eth0 | ConvertFrom-Json).addr_info | Where-Object local -eq 'fd95::1').Count | Should -Be 0
    }

    It 'adds without DAD with -SkipDad: no tentative address, usable at once' {
        Add-NetAddress -Name eth0 -Namespace $d1 fd96::1/64 -SkipDad -ErrorAction Stop | Out-Null
        Add-NetAddress -Name eth0 -Namespace $d2 fd96::2/64 -SkipDad -ErrorAction Stop | Out-Null
        $a = (& ip -j -n $d1 -6 address show dev eth0 | ConvertFrom-Json).addr_info | Where-Object local -eq 'fd96::1'
        $a.nodad | Should -BeTrue
        $a.tentative | Should -BeNullOrEmpty
        (Test-NetNamespaceConnection $d1 fd96::2 -Count 1 -TimeoutSeconds 2).Success | Should -BeTrue
    }

    It 'does not wait on a link that is down' {
        Set-NetLink eth0 -Namespace $d1 -Down -ErrorAction Stop
        $sw = [Diagnostics.Stopwatch]::StartNew()
        Add-NetAddress -Name eth0 -Namespace $d1 fd97::1/64 -ErrorAction Stop | Out-Null
        $sw.ElapsedMilliseconds | Should -BeLessThan 500
        Set-NetLink eth0 -Namespace $d1 -Up -ErrorAction Stop
    }
}
