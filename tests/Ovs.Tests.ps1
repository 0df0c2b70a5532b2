# Open vSwitch cmdlets against a PRIVATE OVS instance (tests/OvsFixture.ps1): the system OVS is never touched.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1

    # A fresh pwsh on the private OVS; its output as one text.
    function Invoke-ChildPwsh([string] $Script) { (Invoke-TestOvsPwsh $script:ovs $Script) -join [Environment]::NewLine }

    $script:ovs = Start-TestOvs
    $script:ns1 = New-TestName 'on'
    $script:ns2 = New-TestName 'on'
    $script:br = New-TestName 'ob'
    $script:v1 = New-TestName 'ov'; $script:e1 = New-TestName 'oe'
    $script:v2 = New-TestName 'ov'; $script:e2 = New-TestName 'oe'
    $script:links = [System.Collections.Generic.List[string]]::new()
    $script:namespaces = [System.Collections.Generic.List[string]]::new()
    $namespaces.AddRange([string[]]@($ns1, $ns2))
    $links.AddRange([string[]]@($v1, $v2))
}

AfterAll {
    Remove-TestNamespace $script:namespaces
    Remove-TestLink $script:links
    if ($script:ovs) { Stop-TestOvs $script:ovs }
}

Describe 'Open vSwitch connection' {
    It 'uses the private database set by the fixture' {
        $c = Get-OvsConnection -Test
        $c.Database | Should -Be $ovs.Database
        $c.IsDefault | Should -BeFalse
        $c.TimeoutSeconds | Should -Be 10
    }

    It 'refuses a malformed -Database' {
        Set-OvsConnection -Database 'db.sock' -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'InvalidOvsDatabase' 'InvalidArgument'
        (Get-OvsConnection).Database | Should -Be $ovs.Database
    }

    It 'stops with ONE terminating error naming the socket when OVS is unreachable, without hanging' {
        $sock = "/tmp/$(New-TestName 'nos')/db.sock"
        Set-OvsConnection -Database "unix:$sock" -TimeoutSeconds 2
        try {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $err = $null
            $out = try { Get-OvsBridge -ErrorAction Continue } catch { $err = $_ }
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
            $out | Should -BeNullOrEmpty
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'OvsUnreachable,*'
            $err.CategoryInfo.Category | Should -Be 'ConnectionError'
            $err.Exception.Message | Should -BeLike "*$sock*"
            $err.Exception.Message | Should -BeLike '*/usr/share/openvswitch/scripts/ovs-ctl start*'
            # A creating cmdlet stops the same way, before changing anything.
            $err2 = $null
            try { New-OvsBridge (New-TestName 'ob') } catch { $err2 = $_ }
            $err2.FullyQualifiedErrorId | Should -BeLike 'OvsUnreachable,*'
        } finally {
            Set-OvsConnection -Database $ovs.Database -TimeoutSeconds 10
        }
    }
}

Describe 'Bridges' {
    It 'creates a bridge with the datapath picked automatically and says which in -Verbose' {
        $verbose = New-OvsBridge $br -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $b = Get-OvsBridge $br
        $b.Name | Should -Be $br
        $expected = if (Test-Path /sys/module/openvswitch) { 'system' } else { 'netdev' }
        $b.DatapathType | Should -Be $expected
        $b.Ports.Count | Should -Be 0
        $b.FailMode | Should -BeNullOrEmpty
        ($verbose -join "`n") | Should -BeLike "*datapath '$expected'*"
        (& ovs-vsctl "--db=$($ovs.Database)" get Bridge $br datapath_type) | Should -Be $expected
    }

    It 'finds bridges by wildcard' {
        (Get-OvsBridge 'ob*').Name | Should -Contain $br
        Get-OvsBridge 'zz-none*' | Should -BeNullOrEmpty
    }

    It 'reports a missing bridge as BridgeNotFound' {
        Get-OvsBridge 'nobr1' -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'BridgeNotFound' 'ObjectNotFound'
        Remove-OvsBridge 'nobr1' -Confirm:$false -ErrorVariable e2 -ErrorAction SilentlyContinue
        Assert-NetNsError $e2 'BridgeNotFound' 'ObjectNotFound'
    }

    It 'refuses an existing bridge and a bad name' {
        New-OvsBridge $br -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'BridgeExists' 'ResourceExists'
        New-OvsBridge 'a/b' -ErrorVariable e2 -ErrorAction SilentlyContinue
        Assert-NetNsError $e2 'InvalidInterfaceName' 'InvalidArgument'
        New-OvsBridge 'lo' -ErrorVariable e3 -ErrorAction SilentlyContinue
        Assert-NetNsError $e3 'LinkExists' 'ResourceExists'
        (Get-OvsBridge).Name | Should -Not -Contain 'lo'
    }

    It 'creates the datapath asked for' {
        $n = New-TestName 'ob'
        try {
            $b = New-OvsBridge $n -DatapathType Netdev
            $b.DatapathType | Should -Be 'netdev'
        } finally { Remove-OvsBridge $n -Confirm:$false -ErrorAction SilentlyContinue }
        Get-OvsBridge $n -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Walk-through on the bridge: ports, ping, VLAN isolation' {
    BeforeAll {
        New-NetNamespace $ns1, $ns2 | Out-Null
        $script:pair1 = Add-VethPair -Name $e1 -PeerName $v1 -Namespace $ns1
        $script:pair2 = Add-VethPair -Name $e2 -PeerName $v2 -Namespace $ns2
    }

    It 'refuses links that do not exist or are not in the root namespace, before touching OVS' {
        Connect-OvsPort $br 'nolink1' -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'LinkNotFound' 'ObjectNotFound'
        Get-NetLink -Namespace $ns1 -Name $e1 | Connect-OvsPort $br -ErrorVariable e2 -ErrorAction SilentlyContinue
        Assert-NetNsError $e2 'LinkNotInRootNamespace' 'InvalidArgument'
        # By name, the end inside a namespace: the error names where it is and what to connect instead.
        Connect-OvsPort $br $e1 -ErrorVariable e6 -ErrorAction SilentlyContinue
        Assert-NetNsError $e6 'LinkNotInRootNamespace' 'InvalidArgument'
        $e6[0].Exception.Message | Should -Match "in namespace '$ns1'"
        $e6[0].Exception.Message | Should -Match 'other end of its veth pair'
        Connect-OvsPort 'nobr2' $v1 -ErrorVariable e3 -ErrorAction SilentlyContinue
        Assert-NetNsError $e3 'BridgeNotFound' 'ObjectNotFound'
        Connect-OvsPort $br $v1 -Tag 4095 -ErrorVariable e4 -ErrorAction SilentlyContinue
        Assert-NetNsError $e4 'InvalidVlanTag' 'InvalidArgument'
        Connect-OvsPort $br $v1 -Tag 10 -Trunk 10, 20 -ErrorVariable e5 -ErrorAction SilentlyContinue
        Assert-NetNsError $e5 'ConflictingVlanParameters' 'InvalidArgument'
        (Get-OvsBridge $br).Ports.Count | Should -Be 0
        (& ovs-vsctl "--db=$($ovs.Database)" --columns=name --format=csv --no-headings list Port) | Should -Be @($br)
    }

    It 'connects the root ends of piped veth pairs and turns tx checksum offload off on both ends (netdev)' {
        $ports = $pair1, $pair2 | Connect-OvsPort $br
        $ports.Count | Should -Be 2
        $ports[0].Name | Should -Be $v1
        $ports[1].Name | Should -Be $v2
        $ports | ForEach-Object { $_.Bridge | Should -Be $br; $_.OfPort | Should -BeGreaterThan 0; $_.Error | Should -BeNullOrEmpty }
        $ports[0].PeerName | Should -Be $e1
        $ports[0].PeerNamespace | Should -Be $ns1
        (Get-OvsBridge $br).Ports | Should -Be (@($v1, $v2) | Sort-Object)
        if ((Get-OvsBridge $br).DatapathType -eq 'netdev') {
            $ports | ForEach-Object { $_.TxChecksumOffload | Should -BeFalse }
            (& ethtool -k $v1) -match '^tx-checksumming:' | Should -Be 'tx-checksumming: off'
            (& ip netns exec $ns1 ethtool -k $e1) -match '^tx-checksumming:' | Should -Be 'tx-checksumming: off'
            (& ip netns exec $ns2 ethtool -k $e2) -match '^tx-checksumming:' | Should -Be 'tx-checksumming: off'
        }
    }

    It 'marks links that are OVS ports in Get-NetLink' {
        (Get-NetLink $v1).OvsBridge | Should -Be $br
        (Get-NetLink lo).OvsBridge | Should -BeNullOrEmpty
    }

    It 'refuses a port already on the bridge, and returns it as it is with -Force' {
        Connect-OvsPort $br $v1 -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'PortExists' 'ResourceExists'
        $p = Connect-OvsPort $br $v1 -Force
        $p.Name | Should -Be $v1
        $p.Bridge | Should -Be $br
    }

    It 'pings between the namespaces through the bridge' {
        Set-NetLink -Name $v1 -Up; Set-NetLink -Name $v2 -Up
        Set-NetLink -Namespace $ns1 -Name lo -Up; Set-NetLink -Namespace $ns2 -Name lo -Up
        Set-NetLink -Namespace $ns1 -Name $e1 -Up; Set-NetLink -Namespace $ns2 -Name $e2 -Up
        Add-NetAddress -Namespace $ns1 -Name $e1 10.77.0.1/24 | Out-Null
        Add-NetAddress -Namespace $ns2 -Name $e2 10.77.0.2/24 | Out-Null
        $r = Test-NetNamespaceConnection $ns1 10.77.0.2 -Count 3 -TimeoutSeconds 2
        $r.Success | Should -BeTrue
        $r.Received | Should -BeGreaterThan 0
    }

    It 'isolates VLAN 100 from VLAN 200' {
        $a = Set-OvsVlan $v1 -Tag 100
        $b = Set-OvsVlan $v2 -Tag 200
        $a.Tag | Should -Be 100; $a.VlanMode | Should -Be 'access'; $a.Trunks.Count | Should -Be 0
        $b.Tag | Should -Be 200
        $r = Test-NetNamespaceConnection $ns1 10.77.0.2 -Count 2 -TimeoutSeconds 1
        $r.Success | Should -BeFalse
        $r.Received | Should -Be 0
    }

    It 'connects again when both are on VLAN 100' {
        Get-OvsPort $v2 | Set-OvsVlan -Tag 100 | Out-Null
        (Get-OvsPort $v2).Tag | Should -Be 100
        $r = Test-NetNamespaceConnection $ns1 10.77.0.2 -Count 3 -TimeoutSeconds 2
        $r.Success | Should -BeTrue
    }

    It 'reads trunk and native VLAN settings back exactly' {
        $p = Set-OvsVlan $v1 -Trunk 30, 10, 20 -NativeVlan 20
        $p.VlanMode | Should -Be 'native-untagged'
        $p.Tag | Should -Be 20
        $p.Trunks | Should -Be @(10, 20, 30)
        $g = Get-OvsPort $v1 -Bridge $br
        $g.VlanMode | Should -Be 'native-untagged'; $g.Tag | Should -Be 20; $g.Trunks | Should -Be @(10, 20, 30)
        (& ovs-vsctl "--db=$($ovs.Database)" get Port $v1 vlan_mode) | Should -Be 'native-untagged'

        $t = Set-OvsVlan $v1 -Trunk 100, 200
        $t.VlanMode | Should -Be 'trunk'; $t.Tag | Should -BeNullOrEmpty; $t.Trunks | Should -Be @(100, 200)

        $u = Set-OvsVlan $v1 -Untagged
        $u.VlanMode | Should -BeNullOrEmpty; $u.Tag | Should -BeNullOrEmpty; $u.Trunks.Count | Should -Be 0
        (& ovs-vsctl "--db=$($ovs.Database)" get Port $v1 tag) | Should -Be '[]'
    }

    It 'refuses VLAN tag <Tag> as InvalidArgument' -TestCases @(@{ Tag = 0 }, @{ Tag = 4095 }, @{ Tag = 4096 }, @{ Tag = -1 }) {
        param($Tag)
        $before = (Get-OvsPort $v2).Tag
        Set-OvsVlan $v2 -Tag $Tag -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-NetNsError $e 'InvalidVlanTag' 'InvalidArgument'
        (Get-OvsPort $v2).Tag | Should -Be $before
    }

    It 'refuses bad trunk lists: <Case>' -TestCases @(
        @{ Case = 'duplicates'; Trunk = @(10, 20, 10); Native = $null; Id = 'DuplicateTrunkVlan' }
        @{ Case = 'out of range 4095'; Trunk = @(10, 4095); Native = $null; Id = 'InvalidTrunk' }
        @{ Case = 'out of range 0'; Trunk = @(0, 10); Native = $null; Id = 'InvalidTrunk' }
        @{ Case = 'native not in list'; Trunk = @(10, 20); Native = 30; Id = 'NativeVlanNotInTrunk' }
        @{ Case = 'native out of range'; Trunk = @(10, 20); Native = 4095; Id = 'InvalidVlanTag' }
    ) {
        param($Case, $Trunk, $Native, $Id)
        $p = @{ Trunk = $Trunk }
        if ($null -ne $Native) { $p.NativeVlan = $Native }
        Set-OvsVlan $v2 @p -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-NetNsError $e $Id 'InvalidArgument'
        (Get-OvsPort $v2).Trunks.Count | Should -Be 0
    }

    It 'reports ports that do not exist' {
        Set-OvsVlan 'noport1' -Tag 5 -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'PortNotFound' 'ObjectNotFound'
        Get-OvsPort 'noport1' -ErrorVariable e2 -ErrorAction SilentlyContinue
        Assert-NetNsError $e2 'PortNotFound' 'ObjectNotFound'
        Disconnect-OvsPort 'noport1' -ErrorVariable e3 -ErrorAction SilentlyContinue
        Assert-NetNsError $e3 'PortNotFound' 'ObjectNotFound'
        Get-OvsPort -Bridge 'nobr3' -ErrorVariable e4 -ErrorAction SilentlyContinue
        Assert-NetNsError $e4 'BridgeNotFound' 'ObjectNotFound'
        # A bridge name in the port's position says how to list the bridge's ports.
        Get-OvsPort $br -ErrorVariable e5 -ErrorAction SilentlyContinue
        Assert-NetNsError $e5 'PortNotFound' 'ObjectNotFound'
        $e5[0].Exception.Message | Should -BeLike "*is a bridge, not a port; list its ports with Get-OvsPort -Bridge $br*"
    }

    It 'shows the OVS error of a port whose device vanished' {
        $g1 = New-TestName 'og'; $g2 = New-TestName 'og'
        $links.Add($g1)
        Add-VethPair -Name $g1 -PeerName $g2 | Out-Null
        Connect-OvsPort $br $g1 | Out-Null
        & ip link del dev $g1
        $p = Get-OvsPort $g1
        $p.Error | Should -Match "(could not open network device|network device) $g1 .*(No such device|does not exist)"
        $p.Bridge | Should -Be $br
        Disconnect-OvsPort $g1 -Bridge $br
        Get-OvsPort -Bridge $br | Where-Object Name -eq $g1 | Should -BeNullOrEmpty
    }

    It 'shows the exact ovs-vsctl command lines under -WhatIf and changes nothing' {
        $wb = New-TestName 'ob'
        $text = Invoke-ChildPwsh "New-OvsBridge $wb -DatapathType Netdev -WhatIf; Connect-OvsPort $br lo -Tag 7 -WhatIf; Set-OvsVlan $v2 -Trunk 5,6 -WhatIf; Disconnect-OvsPort $v2 -WhatIf; Remove-OvsBridge $br -WhatIf"
        $db = "--db=$($ovs.Database)"
        $text | Should -BeLike "*ovs-vsctl --timeout=10 $db add-br $wb -- set Bridge $wb datapath_type=netdev*"
        $text | Should -BeLike "*ovs-vsctl --timeout=10 $db add-port $br lo tag=7 vlan_mode=access*"
        $text | Should -BeLike "*ovs-vsctl --timeout=10 $db set Port $v2 trunks=5,6 vlan_mode=trunk -- clear Port $v2 tag*"
        $text | Should -BeLike "*ovs-vsctl --timeout=10 $db del-port $br $v2*"
        $text | Should -BeLike "*ovs-vsctl --timeout=10 $db del-br $br*"
        Get-OvsBridge $wb -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-OvsBridge $br).Ports | Should -Be (@($v1, $v2) | Sort-Object)
        (Get-OvsPort $v2).Trunks.Count | Should -Be 0
        (Get-OvsPort $v2).Tag | Should -Be 100
    }

    It 'disconnects ports piped from Get-OvsPort; the links stay' {
        Get-OvsPort -Bridge $br | Disconnect-OvsPort
        (Get-OvsBridge $br).Ports.Count | Should -Be 0
        (Get-NetLink $v1).Name | Should -Be $v1
        Connect-OvsPort $br $v1, $v2 | Should -HaveCount 2
    }
}

Describe 'Many ports in one transaction' {
    It 'adds 100 piped veth ends with ONE ovs-vsctl add-port call' {
        $bulkNs = New-TestName 'obk'
        $namespaces.Add($bulkNs)
        New-NetNamespace $bulkNs | Out-Null
        $prefix = 'k' + [guid]::NewGuid().ToString('N').Substring(0, 5)
        $lines = 1..100 | ForEach-Object { "link add name $prefix$_ type veth peer name p$_ netns $bulkNs" }
        $lines | & ip -batch -
        $LASTEXITCODE | Should -Be 0
        $links.AddRange([string[]](1..100 | ForEach-Object { "$prefix$_" }))
        $root = Get-NetLink -Kind veth | Where-Object Name -like "$prefix*"
        $root.Count | Should -Be 100
        $verbose = $null
        $t = Measure-Command { $script:bulk = $root | Connect-OvsPort $br -Verbose 4>&1 | Tee-Object -Variable verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] } }
        $adds = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'ovs-vsctl *add-port*' -and $_.Message -notlike 'Performing*' })
        $adds.Count | Should -Be 1
        ([regex]::Matches($adds[0].Message, ' add-port ')).Count | Should -Be 100
        $bulk.Count | Should -Be 100
        (Get-OvsBridge $br).Ports.Count | Should -Be 102
        Write-Host "    100 ports connected in one transaction: $([int]$t.TotalMilliseconds) ms (with tx offload off on 200 veth ends)"
        $t2 = Measure-Command { Get-OvsPort -Bridge $br | Where-Object Name -like "$prefix*" | Disconnect-OvsPort }
        Write-Host "    100 ports disconnected in one transaction: $([int]$t2.TotalMilliseconds) ms"
        (Get-OvsBridge $br).Ports.Count | Should -Be 2
        $t3 = Measure-Command { $again = $root | Connect-OvsPort $br -KeepTxChecksumOffload }
        Write-Host "    100 ports connected in one transaction, offload left alone: $([int]$t3.TotalMilliseconds) ms"
        $again.Count | Should -Be 100
        Get-OvsPort -Bridge $br | Where-Object Name -like "$prefix*" | Disconnect-OvsPort
        (Get-OvsBridge $br).Ports.Count | Should -Be 2
        Remove-TestNamespace $bulkNs
    }
}

Describe 'Removal' {
    It 'removes the bridge with its ports; the links stay' {
        Remove-OvsBridge $br -Confirm:$false
        Get-OvsBridge $br -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-NetNsError $e 'BridgeNotFound' 'ObjectNotFound'
        Get-OvsPort | Should -BeNullOrEmpty
        (& ovs-vsctl "--db=$($ovs.Database)" list-br) | Should -BeNullOrEmpty
        (& ovs-vsctl "--db=$($ovs.Database)" --columns=name --format=csv --no-headings list Port) | Should -BeNullOrEmpty
        (Get-NetLink $v1).Name | Should -Be $v1
        Test-Path "/sys/class/net/$br" | Should -BeFalse
    }
}
