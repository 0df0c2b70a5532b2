# Labs on the real kernel, against a private Open vSwitch (tests/OvsFixture.ps1 -InNamespace: ovs-vswitchd in its own namespace).
BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1
    $script:ovs = Start-TestOvs -InNamespace -Prefix 'labtovs'
    $script:p = New-TestName 'lb'
    $script:tmp = Join-Path ([IO.Path]::GetTempPath()) "netns-labtest-$p"
    New-Item -ItemType Directory -Path $tmp | Out-Null
    $script:O = @{ OvsSocket = $ovs.Socket; SwitchNamespace = $ovs.Namespace }

    function Get-OurNamespaces { @(& ip netns list | ForEach-Object { ($_ -split ' ')[0] } | Where-Object { $_ -like "$p*" }) }
    function Get-SwitchLinks { @(& ip -n $ovs.Namespace -j link show | ConvertFrom-Json | Where-Object { $_.ifname -like "*$p*" } | ForEach-Object ifname) }
    function Get-OvsBridges { @(& ovs-vsctl "--db=unix:$($ovs.Socket)" list-br) }
    function Get-LabRecord([string] $Name) { Test-Path "/run/netns-ps/labs/$Name.json" }
    function New-Star([string] $Name, [int] $Count, [string] $Prefix, [int[]] $Tags = @()) {
        New-NetLabDefinition -Star -Name $Name -HostCount $Count -Prefix $Prefix -DatapathType Netdev -VlanTag $Tags
    }
}

AfterAll {
    foreach ($l in @(Get-NetLab -ErrorAction SilentlyContinue | Where-Object Name -like "$p*")) { Remove-NetLab -Name $l.Name -Confirm:$false -ErrorAction SilentlyContinue }
    Clear-NetLab -Name "$p*" -OvsSocket $ovs.Socket -SwitchNamespace $ovs.Namespace -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
    foreach ($n in Get-OurNamespaces) { & ip netns del $n 2>$null }
    Get-ChildItem /run/netns-ps/labs -Filter "$p*" -ErrorAction SilentlyContinue | Remove-Item -Force
    Stop-TestOvs $ovs
    Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
}

Describe 'Lab definitions' {
    It 'reads the walk-through example (.psd1) with the names of the walk-through' {
        # (Not built here: ns1/ns2/br0 may exist on a shared machine; New-NetLab would refuse them.)
        $d = Export-NetLabDiagram -Definition "$PSScriptRoot/../examples/walkthrough.lab.psd1" -Format Dot
        foreach ($s in 'ns1', 'ns2', 'br0', 'eth1-ns1', 'veth-ns1', 'eth1-ns2', 'veth-ns2', '10.0.0.1/24', '10.0.0.2/24') { $d | Should -Match ([regex]::Escape($s)) }
    }

    It 'refuses a .psd1 that is not plain data with InvalidLabDefinition naming the file' {
        $f = Join-Path $tmp 'dynamic.psd1'
        Set-Content $f "@{ Name = (Get-Date).ToString(); Namespaces = @() }"
        Export-NetLabDiagram -Definition $f -Format Dot -ErrorVariable ev -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-NetNsError $ev 'InvalidLabDefinition' 'InvalidArgument'
        $ev[0].Exception.Message | Should -BeLike "*$f*not a PowerShell data file of plain values*"
        $ev[0].TargetObject | Should -Be $f
    }

    It 'Export-NetLabDiagram overwrites a file, and refuses it with -NoClobber (FileExists), like Export-NetLab' {
        $f = Join-Path $tmp 'diagram.mmd'
        Set-Content $f 'old'
        $def = "$PSScriptRoot/../examples/walkthrough.lab.psd1"
        Export-NetLabDiagram -Definition $def -Format Mermaid -Path $f | Out-Null
        Get-Content -Raw $f | Should -Match 'ns1'
        Set-Content $f 'old'
        Export-NetLabDiagram -Definition $def -Format Mermaid -Path $f -NoClobber -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'FileExists' 'ResourceExists'
        Get-Content -Raw $f | Should -Be "old`n"
    }

    It 'generates a star and reads it back from .psd1, .json and .yaml identically' {
        $star = New-Star "${p}s" 5 "${p}s" @(100, 200)
        $star.Namespaces.Count | Should -Be 5
        $star.Links[1].Tag | Should -Be 200
        foreach ($ext in 'psd1', 'json', 'yaml') {
            $file = Join-Path $tmp "star.$ext"
            $null = New-NetLabDefinition -Star -Name "${p}s" -HostCount 5 -Prefix "${p}s" -DatapathType Netdev -VlanTag 100, 200 -Path $file
            $back = New-NetLab -Definition $file -WhatIf @O
            $back.Name | Should -Be "${p}s"
            $back.Namespaces.Name | Should -Be $star.Namespaces.Name
            $back.Links.Addresses | Should -Be $star.Links.Addresses
            $back.Links.Tag | Should -Be @(100, 200, 100, 200, 100)
            $back.Bridges[0].DatapathType | Should -Be 'Netdev'
        }
    }

    It 'refuses a bad VLAN tag before touching anything (InvalidVlanTag)' {
        $def = @{ Name = "${p}bad"; Bridges = @("${p}bb"); Namespaces = @("${p}b1"); Links = @(@{ Namespace = "${p}b1"; Name = 'eth0'; Bridge = "${p}bb"; PeerName = "v${p}b1"; Tag = 4095 }) }
        New-NetLab -Definition $def @O -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidVlanTag*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match "v${p}b1"
        Get-OurNamespaces | Should -BeNullOrEmpty
        Get-LabRecord "${p}bad" | Should -BeFalse
    }

    It 'refuses unknown keys and dangling references, naming them' {
        New-NetLab -Definition @{ Name = "${p}bad"; Namespaces = @("${p}b1"); Colour = 'red' } @O -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidLabDefinition*'
        $err[0].Exception.Message | Should -Match 'Colour'
        New-NetLab -Definition @{ Name = "${p}bad"; Namespaces = @("${p}b1"); Links = @(@{ Namespace = "${p}b1"; Name = 'eth0'; Bridge = 'nobr'; PeerName = "v${p}b1" }) } @O -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'LabReferenceNotFound*'
        $err2[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err2[0].Exception.Message | Should -Match 'nobr'
        Get-OurNamespaces | Should -BeNullOrEmpty
    }
}

Describe 'A 20-host lab' {
    BeforeAll {
        $script:lab = "${p}20"
        $script:hp = "${p}h"
        $script:def = New-Star $lab 20 $hp
    }

    It 'is built with owner marks on every object' {
        $r = New-NetLab -Definition $def @O
        $r.Name | Should -Be $lab
        $r.Status | Should -Be 'Active'
        $r.Namespaces | Should -Be 20
        $r.Pid | Should -Be $PID
        (Get-OurNamespaces | Where-Object { $_ -like "$hp*" }).Count | Should -Be 20
        Get-OvsBridges | Should -Contain "${hp}br"
        & ovs-vsctl "--db=unix:$($ovs.Socket)" get bridge "${hp}br" external_ids:netns-lab | ForEach-Object Trim '"' | Should -Be $lab
        & ovs-vsctl "--db=unix:$($ovs.Socket)" get port "v${hp}7" external_ids:netns-lab | ForEach-Object Trim '"' | Should -Be $lab
        (& ip -n "${hp}7" -j -d link show dev eth0 | ConvertFrom-Json).ifalias | Should -Be "netns-lab:$lab"
        (& ip -n "${hp}7" -j -d link show dev lo | ConvertFrom-Json).ifalias | Should -Be "netns-lab:$lab"
        (& ip -n $ovs.Namespace -j -d link show dev "v${hp}7" | ConvertFrom-Json).ifalias | Should -Be "netns-lab:$lab"
        (& ip -n "${hp}7" -j addr show dev eth0 | ConvertFrom-Json).addr_info.local | Should -Contain '10.0.0.7'
        (& ip netns exec "${hp}7" ethtool -k eth0) -match '^tx-checksumming:' | Should -Be 'tx-checksumming: off'
        (& ip netns exec $ovs.Namespace ethtool -k "v${hp}7") -match '^tx-checksumming:' | Should -Be 'tx-checksumming: off'
        $rec = Get-Content "/run/netns-ps/labs/$lab.json" -Raw | ConvertFrom-Json
        $rec.Pid | Should -Be $PID
        $rec.State | Should -Be 'Complete'
        (Get-Item /run/netns-ps/labs).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        (Get-Item "/run/netns-ps/labs/$lab.json").UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'is listed by Get-NetLab and its objects by Get-NetLabState' {
        (Get-NetLab -Name $lab).Links | Should -Be 20
        $objects = Get-NetLabState -Name $lab
        @($objects | Where-Object Kind -eq 'Namespace').Count | Should -Be 20
        @($objects | Where-Object Kind -eq 'Link').Count | Should -Be 20
        @($objects | Where-Object { -not $_.Exists }).Count | Should -Be 0
        ($objects | Where-Object { $_.Kind -eq 'Link' -and $_.Namespace -eq "${hp}3" }).PeerName | Should -Be "v${hp}3"
    }

    It 'has a full connectivity matrix: all 20 hosts reach all others' {
        $m = Test-NetLabConnectivity -Name $lab -ExpectTopology -ThrottleLimit 32
        $m.Count | Should -Be 380
        @($m | Where-Object { -not $_.Reachable }).Count | Should -Be 0
        @($m | Where-Object Differs).Count | Should -Be 0
    }

    It 'exports and compares without difference, then detects deliberate differences' {
        Export-NetLab -Name $lab -Path (Join-Path $tmp 'a.psd1')
        Compare-NetLab -Name $lab | Should -BeNullOrEmpty
        Compare-NetLab -Name $lab -Definition (Join-Path $tmp 'a.psd1') | Should -BeNullOrEmpty
        & ovs-vsctl "--db=unix:$($ovs.Socket)" set port "v${hp}4" tag=999
        & ip -n "${hp}5" address del 10.0.0.5/24 dev eth0
        try {
            $diff = @(Compare-NetLab -Name $lab)
            $diff.Count | Should -Be 2
            $tag = $diff | Where-Object Property -eq 'Tag'
            $tag.Name | Should -Be "${hp}4/eth0"
            $tag.Status | Should -Be 'Different'
            $tag.Actual | Should -Be '999'
            $addr = $diff | Where-Object Property -eq 'Address'
            $addr.Name | Should -Be "${hp}5/eth0"
            $addr.Expected | Should -Be '10.0.0.5/24'
            $addr.Actual | Should -Be ''
        } finally {
            & ovs-vsctl "--db=unix:$($ovs.Socket)" remove port "v${hp}4" tag 999
            & ip -n "${hp}5" address add 10.0.0.5/24 dev eth0
        }
        Compare-NetLab -Name $lab | Should -BeNullOrEmpty
    }

    It 'overwrites an existing export, as Export-Csv does, and refuses it with -NoClobber (FileExists)' {
        $f = Join-Path $tmp 'clobber.psd1'
        Set-Content $f 'old'
        Export-NetLab -Name $lab -Path $f
        Get-Content -Raw $f | Should -Match 'Namespaces'
        Set-Content $f 'old'
        Export-NetLab -Name $lab -Path $f -NoClobber -ErrorVariable ev -ErrorAction SilentlyContinue
        Assert-NetNsError $ev 'FileExists' 'ResourceExists'
        Get-Content -Raw $f | Should -Be "old`n"
        Export-NetLab -Name $lab -Path $f -NoClobber -Force
        Get-Content -Raw $f | Should -Match 'Namespaces'
    }

    It 'exports a bridge defined with DatapathType Auto as Auto, not as the datapath Auto picked' {
        $h = @{ Name = "${p}au"; Bridges = @(@{ Name = "${p}aubr" }); Namespaces = @("${p}au1")
            Links = @(@{ Namespace = "${p}au1"; Name = 'eth0'; Bridge = "${p}aubr"; PeerName = "v${p}au1" }) }
        $null = New-NetLab -Definition $h @O
        try {
            (Export-NetLab -Name "${p}au").Bridges[0].DatapathType | Should -Be 'Auto'
            (Get-NetLabState -Name "${p}au" | Where-Object Kind -eq 'Bridge').Name | Should -Be "${p}aubr"
            # The teardown's OVSDB transaction runs on a worker thread; -Verbose still shows it, marked in process.
            $v = @(Remove-NetLab -Name "${p}au" -Confirm:$false -Verbose 4>&1 | ForEach-Object Message)
            @($v | Where-Object { $_ -like "*del-br ${p}aubr*(in process: OVSDB JSON-RPC)" }).Count | Should -Be 1
        } finally { Remove-NetLab -Name "${p}au" -Confirm:$false -ErrorAction SilentlyContinue }
    }

    It 'round-trips: export -> remove -> build -> export gives the same file' {
        Remove-NetLab -Name $lab -Confirm:$false
        Get-OurNamespaces | Should -BeNullOrEmpty
        Get-OvsBridges | Should -Not -Contain "${hp}br"
        Get-SwitchLinks | Should -BeNullOrEmpty
        Get-LabRecord $lab | Should -BeFalse
        $null = New-NetLab -Definition (Join-Path $tmp 'a.psd1') @O
        Export-NetLab -Name $lab -Path (Join-Path $tmp 'b.psd1')
        Get-Content -Raw (Join-Path $tmp 'b.psd1') | Should -BeExactly (Get-Content -Raw (Join-Path $tmp 'a.psd1'))
    }

    It 'is removed completely, leaving nothing behind' {
        Remove-NetLab -Name $lab -Confirm:$false
        Get-OurNamespaces | Should -BeNullOrEmpty
        Get-SwitchLinks | Should -BeNullOrEmpty
        Get-OvsBridges | Should -Not -Contain "${hp}br"
        @(& ovs-vsctl "--db=unix:$($ovs.Socket)" --bare --columns=name list Port) -like "*$p*" | Should -BeNullOrEmpty
        Get-LabRecord $lab | Should -BeFalse
        Get-NetLab -Name $lab -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'LabNotFound*'
    }
}

Describe 'VLAN isolation in a lab' {
    It 'splits 6 hosts over VLANs 100 and 200: each reaches only its own VLAN, as expected' {
        $lab = "${p}vl"
        $null = New-NetLab -Definition (New-Star $lab 6 "${p}v" @(100, 200)) @O
        try {
            $m = Test-NetLabConnectivity -Name $lab -ExpectTopology -TimeoutSeconds 1
            $m.Count | Should -Be 30
            @($m | Where-Object Differs).Count | Should -Be 0
            @($m | Where-Object Reachable).Count | Should -Be 12
            ($m | Where-Object { $_.Source -eq "${p}v1" -and $_.Destination -eq "${p}v3" }).Reachable | Should -BeTrue
            ($m | Where-Object { $_.Source -eq "${p}v1" -and $_.Destination -eq "${p}v2" }).Reachable | Should -BeFalse
            # Against a wrong expectation (everyone reaches everyone) the differing pairs are reported.
            $all = foreach ($c in $m) { [pscustomobject]@{ Source = $c.Source; Address = $c.Address; Reachable = $true } }
            $d = @(Test-NetLabConnectivity -Name $lab -Expected $all -DifferentOnly -WarningVariable w -WarningAction SilentlyContinue)
            $d.Count | Should -Be 18
            $w[0].Message | Should -Match '18 of 30 pairs differ'
        } finally { Remove-NetLab -Name $lab -Confirm:$false }
        Get-OurNamespaces | Should -BeNullOrEmpty
    }
}

Describe 'A lab without bridges' {
    It 'joins namespaces directly (MTU, addresses on both ends), exports, compares and removes them' {
        $lab = "${p}pp"
        $yaml = Join-Path $tmp 'pp.yaml'
        Set-Content -Path $yaml -Value @"
name: $lab
namespaces: [${p}p1, ${p}p2, ${p}p3]
links:
  - {namespace: ${p}p1, name: to-p2, peernamespace: ${p}p2, peername: to-p1, address: 10.77.0.1/30, peeraddress: 10.77.0.2/30, mtu: 9000}
  - {namespace: ${p}p2, name: to-p3, peernamespace: ${p}p3, peername: to-p2, address: [10.77.0.5/30, 'fd77::5/64'], peeraddress: 10.77.0.6/30}
"@
        $r = New-NetLab -Definition $yaml
        try {
            $r.Links | Should -Be 2
            (& ip -n "${p}p1" -j link show dev to-p2 | ConvertFrom-Json).mtu | Should -Be 9000
            (& ip -n "${p}p2" -j link show dev to-p1 | ConvertFrom-Json).mtu | Should -Be 9000
            (& ip -n "${p}p2" -j addr show dev to-p3 | ConvertFrom-Json).addr_info.local | Should -Contain 'fd77::5'
            $m = Test-NetLabConnectivity -Name $lab -ExpectTopology
            $m.Count | Should -Be 8
            @($m | Where-Object Differs).Count | Should -Be 0
            @($m | Where-Object Reachable).Count | Should -Be 4
            Compare-NetLab -Name $lab | Should -BeNullOrEmpty
            $live = Export-NetLab -Name $lab
            $live.Links[0].PeerAddresses | Should -Be @('10.77.0.2/30')
            $live.Links[0].Mtu | Should -Be 9000
            $live.Links[1].Addresses | Should -Be @('10.77.0.5/30', 'fd77::5/64')
        } finally { Remove-NetLab -Name $lab -Confirm:$false }
        Get-OurNamespaces | Should -BeNullOrEmpty
        Get-LabRecord $lab | Should -BeFalse
    }
}

Describe 'Lab diagrams' {
    It 'draws the walk-through lab to SVG naming every object' {
        $svg = Join-Path $tmp 'walkthrough.svg'
        $f = Export-NetLabDiagram -Definition "$PSScriptRoot/../examples/walkthrough.lab.psd1" -Format Svg -Path $svg
        $f.FullName | Should -Be $svg
        $text = [System.Net.WebUtility]::HtmlDecode((Get-Content -Raw $svg))
        $text | Should -Match '<svg'
        foreach ($s in 'ns1', 'ns2', 'br0', 'eth1-ns1', 'veth-ns1', 'eth1-ns2', 'veth-ns2', '10.0.0.1/24', '10.0.0.2/24', 'VLAN 100') { $text | Should -Match ([regex]::Escape($s)) }
    }

    It 'draws a live lab as Mermaid and PNG' {
        $lab = "${p}dg"
        $null = New-NetLab -Definition (New-Star $lab 2 "${p}d" @(10, 20)) @O
        try {
            $mm = Export-NetLabDiagram -Name $lab -Format Mermaid
            $mm | Should -Match 'flowchart LR'
            $mm | Should -Match "eth0 : v${p}d1<br/>VLAN 10"
            $png = Export-NetLabDiagram -Name $lab -Format Png -Path (Join-Path $tmp 'dg.png')
            $bytes = [IO.File]::ReadAllBytes($png.FullName)
            $bytes[1..3] | Should -Be @(0x50, 0x4E, 0x47)
        } finally { Remove-NetLab -Name $lab -Confirm:$false }
    }
}

Describe 'All or nothing' {
    It 'refuses a lab when one of its namespaces exists, naming it, and creates nothing' {
        & ip netns add "${p}c2"
        try {
            New-NetLab -Definition (New-Star "${p}col" 3 "${p}c") @O -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NamespaceExists*'
            $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $err[0].Exception.Message | Should -Match "'${p}c2'"
            Get-OurNamespaces | Should -Be @("${p}c2")
            Get-OvsBridges | Should -Not -Contain "${p}cbr"
            Get-LabRecord "${p}col" | Should -BeFalse
        } finally { & ip netns del "${p}c2" }
    }

    It 'refuses a lab when a port name is taken in the switch namespace (LinkExists)' {
        & ip -n $ovs.Namespace link add "v${p}k2" type veth peer name "x${p}k2"
        try {
            New-NetLab -Definition (New-Star "${p}col" 3 "${p}k") @O -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'LinkExists*'
            $err[0].Exception.Message | Should -Match "v${p}k2"
            Get-OurNamespaces | Should -BeNullOrEmpty
        } finally { & ip -n $ovs.Namespace link del "v${p}k2" }
    }

    It 'removes everything built so far when the kernel fails midway, naming the failing object' {
        $def = New-Star "${p}mid" 4 "${p}m"
        $h = @{ Name = "${p}mid"; Bridges = @(@{ Name = "${p}mbr"; DatapathType = 'Netdev' }); Namespaces = @($def.Namespaces.Name)
            Links = @(foreach ($l in $def.Links) { @{ Namespace = $l.Namespace; Name = 'eth0'; Bridge = "${p}mbr"; PeerName = $l.PeerName; Address = if ($l.Namespace -eq "${p}m3") { 'ff02::1/64' } else { $l.Addresses[0] } } }) }
        New-NetLab -Definition $h @O -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'LabBuildFailed*'
        $err[0].Exception.Message | Should -Match "ff02::1/64 on 'eth0' in namespace '${p}m3'"
        $err[0].Exception.Message | Should -Match 'multicast'
        Get-OurNamespaces | Should -BeNullOrEmpty
        Get-SwitchLinks | Should -BeNullOrEmpty
        Get-OvsBridges | Should -Not -Contain "${p}mbr"
        Get-LabRecord "${p}mid" | Should -BeFalse
    }
}

Describe 'Sweeping what crashed scripts left' {
    It 'removes a lab whose creating process was killed, and nothing else' {
        $lab = "${p}kil"
        $file = Join-Path $tmp 'kil.json'
        $null = New-NetLabDefinition -Star -Name $lab -HostCount 3 -Prefix "${p}k" -DatapathType Netdev -Path $file
        # Unmarked objects that must survive the sweep.
        & ip netns add "${p}um"
        & ovs-vsctl "--db=unix:$($ovs.Socket)" add-br "${p}ub" -- set bridge "${p}ub" datapath_type=netdev
        try {
            $pw = [Environment]::ProcessPath
            $pre = @(if ((Split-Path -Leaf $pw) -ne 'pwsh') { [Environment]::GetCommandLineArgs()[0] })
            $child = Start-Process -FilePath $pw -PassThru -ArgumentList ($pre + @('-NoProfile', '-NonInteractive', '-Command',
                    "Import-Module '$script:NetNsModule'; `$null = New-NetLab -Definition '$file' -OvsSocket '$($ovs.Socket)' -SwitchNamespace '$($ovs.Namespace)'; Start-Sleep 120"))
            $deadline = (Get-Date).AddSeconds(60)
            while ((Get-Date) -lt $deadline -and -not ((Get-LabRecord $lab) -and (Get-Content -Raw "/run/netns-ps/labs/$lab.json" | ConvertFrom-Json).State -eq 'Complete')) { Start-Sleep -Milliseconds 200 }
            (Get-NetLab -Name $lab).Status | Should -Be 'Active'
            $child.Kill($true)
            $child.WaitForExit()
            (Get-NetLab -Name $lab).Status | Should -Be 'Stale'
            $swept = Clear-NetLab -Name "$p*" -OvsSocket $ovs.Socket -SwitchNamespace $ovs.Namespace -Confirm:$false
            ($swept | Where-Object Kind -eq 'Lab').Name | Should -Be $lab
            Get-OurNamespaces | Should -Be @("${p}um")
            Get-SwitchLinks | Where-Object { $_ -ne "${p}ub" } | Should -BeNullOrEmpty
            Get-OvsBridges | Should -Not -Contain "${p}kbr"
            Get-OvsBridges | Should -Contain "${p}ub"
            Get-LabRecord $lab | Should -BeFalse
        } finally {
            if ($child -and -not $child.HasExited) { $child.Kill($true) }
            & ip netns del "${p}um"
            & ovs-vsctl "--db=unix:$($ovs.Socket)" --if-exists del-br "${p}ub"
        }
    }

    It 'removes orphan marked objects whose lab record is gone' {
        $lab = "${p}orp"
        $null = New-NetLab -Definition (New-Star $lab 3 "${p}o") @O
        Remove-Item "/run/netns-ps/labs/$lab.json"
        $swept = @(Clear-NetLab -Name "$p*" -OvsSocket $ovs.Socket -SwitchNamespace $ovs.Namespace -Confirm:$false)
        @($swept | Where-Object Kind -eq 'Namespace').Count | Should -Be 3
        ($swept | Where-Object Kind -eq 'Bridge').Name | Should -Be "${p}obr"
        $swept.Lab | Select-Object -Unique | Should -Be $lab
        Get-OurNamespaces | Should -BeNullOrEmpty
        Get-SwitchLinks | Should -BeNullOrEmpty
        Get-OvsBridges | Should -Not -Contain "${p}obr"
    }
}

Describe 'DHCP servers in a lab' {
    It 'starts dnsmasq for the Dhcp section, serves a lease, and Remove-NetLab stops it' {
        $lab = "${p}dh"
        $def = @{
            Name       = $lab
            Namespaces = @("${p}d1", "${p}d2")
            Links      = @(@{ Namespace = "${p}d1"; Name = 'srv0'; PeerNamespace = "${p}d2"; PeerName = 'cli0'; Address = '10.78.0.1/24' })
            Dhcp       = @(@{ Namespace = "${p}d1"; Interface = 'srv0'; RangeStart = '10.78.0.50'; RangeEnd = '10.78.0.60'; LeaseTime = 600 })
        }
        New-NetLab -Definition $def | Out-Null
        try {
            $server = Get-NetDhcpServer -Namespace "${p}d1" -Interface srv0
            $server.Running | Should -BeTrue
            $server.RangeStart | Should -Be '10.78.0.50'
            $lease = Request-NetDhcpClientLease -Namespace "${p}d2" -Interface cli0 -TimeoutSeconds 15
            [version]$lease.Address.Split('/')[0] | Should -BeGreaterOrEqual ([version]'10.78.0.50')
            [version]$lease.Address.Split('/')[0] | Should -BeLessOrEqual ([version]'10.78.0.60')
            (Get-NetDhcpLease -Namespace "${p}d1" -Interface srv0).IPAddress | Should -Contain $lease.Address.Split('/')[0]
            $dnsmasqPid = $server.ProcessId
        } finally { Remove-NetLab -Name $lab -Confirm:$false }
        Get-NetDhcpServer -Namespace "${p}d1" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        # Gone, or a zombie waiting for its parent to reap it: not running either way.
        $alive = (Test-Path "/proc/$dnsmasqPid") -and ((Get-Content -Raw "/proc/$dnsmasqPid/stat" -ErrorAction SilentlyContinue) -notmatch '\) Z ')
        $alive | Should -BeFalse
        Get-OurNamespaces | Should -BeNullOrEmpty
    }
}
