# The single cmdlets against a private Open vSwitch whose ovs-vswitchd runs in its own namespace (tests/OvsFixture.ps1 -InNamespace):
# Set-OvsConnection -SwitchNamespace, Connect-OvsPort connecting the end in that namespace with no process at all (the
# add-port transaction and the wait for ovs-vswitchd over OVSDB JSON-RPC), and that transaction's failures.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1
    $script:saved = Get-OvsConnection
    $script:ovs = Start-TestOvs -InNamespace -Prefix 'swnovs'
    $script:sw = $ovs.Namespace
    $script:h1 = New-TestName 'swh'; $script:h2 = New-TestName 'swh'; $script:h3 = New-TestName 'swh'
    $script:br = New-TestName 'swb'
    & ovs-vsctl "--db=unix:$($ovs.Socket)" --timeout=20 add-br $br -- set bridge $br datapath_type=netdev
    Set-OvsConnection -Database "unix:$($ovs.Socket)" -SwitchNamespace $sw -TimeoutSeconds 20
}

AfterAll {
    Set-OvsConnection -Database $script:saved.Database -TimeoutSeconds $script:saved.TimeoutSeconds -SwitchNamespace $script:saved.SwitchNamespace
    Remove-TestNamespace @($h1, $h2, $h3)
    if ($script:ovs) { Stop-TestOvs $script:ovs }
}

Describe 'Connect-OvsPort with ovs-vswitchd in its own namespace' {
    It 'keeps the switch namespace in the connection setting' {
        $c = Get-OvsConnection
        $c.SwitchNamespace | Should -Be $sw
        $c.Database | Should -Be "unix:$($ovs.Socket)"
        Set-OvsConnection -SwitchNamespace 'bad/name' -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'InvalidNamespaceName' 'InvalidArgument'
        (Get-OvsConnection).SwitchNamespace | Should -Be $sw
    }

    It 'connects the end in the switch namespace of piped pairs with NO process, and hosts ping through the bridge' {
        $i = 0
        foreach ($h in $h1, $h2) {
            $i++
            $v = @(New-NetNamespace $h | Add-VethPair -Name eth0 -PeerName "v$h" -PeerNamespace $sw | Connect-OvsPort -Bridge $br -Verbose 4>&1)
            $port = $v | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
            $port.Bridge | Should -Be $br
            $port.Name | Should -Be "v$h"
            $port.PeerName | Should -Be 'eth0'
            $port.PeerNamespace | Should -Be $h
            $port.TxChecksumOffload | Should -BeFalse
            $port.OfPort | Should -BeGreaterThan 0
            $lines = @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'ovs-vsctl *' } | ForEach-Object Message)
            @($lines | Where-Object { $_ -notlike '*(in process*' }).Count | Should -Be 0
            @($lines | Where-Object { $_ -like "*add-port $br v$h *(in process: OVSDB JSON-RPC)" }).Count | Should -Be 1
            Set-NetLink -Namespace $sw -Name "v$h" -Up
            Set-NetLink -Namespace $h -Name lo -Up
            Set-NetLink -Namespace $h -Name eth0 -Up
            Add-NetAddress -Namespace $h -Name eth0 "10.231.0.$i/24" | Out-Null
        }
        (& ip -n $sw -j link show "v$h1" | ConvertFrom-Json).flags | Should -Contain 'UP'
        (Test-NetNamespaceConnection -Namespace $h1 -Target 10.231.0.2 -Count 1 -TimeoutSeconds 2).Success | Should -BeTrue
        $p = Get-OvsPort -Bridge $br | Where-Object Name -EQ "v$h1"
        $p.PeerNamespace | Should -Be $h1
        $p.Error | Should -BeNullOrEmpty
    }

    It 'New-OvsBridge checks for a clashing link in the switch namespace, not in the root namespace' {
        $inSw = New-TestName 'swk'; $inRoot = New-TestName 'swr'
        # (veth pairs: this kernel has no dummy links)
        & ip -n $sw link add $inSw type veth peer name "${inSw}p"
        & ip link add $inRoot type veth peer name "${inRoot}p"
        try {
            New-OvsBridge $inSw -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Assert-NetNsError $e 'LinkExists' 'ResourceExists'
            $e[0].Exception.Message | Should -BeLike "*namespace '$sw'*"
            @(& ovs-vsctl "--db=unix:$($ovs.Socket)" list-br) | Should -Not -Contain $inSw
            # A root link of the bridge's name is no clash: the internal interface appears in the switch namespace.
            (New-OvsBridge $inRoot -DatapathType Netdev).Name | Should -Be $inRoot
            Test-Path "/sys/class/net/$inRoot" | Should -BeTrue
            @(& ip -n $sw -br link show $inRoot).Count | Should -Be 1
        } finally {
            & ovs-vsctl "--db=unix:$($ovs.Socket)" --if-exists del-br $inRoot
            & ip -n $sw link del $inSw 2>$null
            & ip link del $inRoot 2>$null
        }
    }

    It 'refuses a pair with no end in the switch namespace, and a missing link, before touching OVS' {
        New-NetNamespace $h3 | Out-Null
        Add-VethPair -Name a0 -PeerName b0 -Namespace $h3 -PeerNamespace $h3 | Connect-OvsPort -Bridge $br -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'LinkNotInRootNamespace' 'InvalidArgument'
        $e[0].Exception.Message | Should -BeLike "*namespace '$sw'*"
        Connect-OvsPort -Bridge $br -Name (New-TestName 'nx') -ErrorVariable e2 -ErrorAction SilentlyContinue
        Assert-NetNsError $e2 'LinkNotFound' 'ObjectNotFound'
        @(& ovs-vsctl "--db=unix:$($ovs.Socket)" list-ports $br).Count | Should -Be 2
    }
}

Describe 'Changes over OVSDB JSON-RPC (OvsClient with OvsDbWriter)' {
    BeforeAll {
        $script:conn = [NetNs.Core.Ovs.OvsConnection]::new("unix:$($ovs.Socket)", 5, $sw)
        function Get-PortNames { @(& ovs-vsctl "--db=unix:$($ovs.Socket)" --timeout=10 --columns=name --bare list Port | Where-Object { $_ }) | Sort-Object }
        # OvsClient and the context are internal to NetNs.Core: built by reflection, on the production context (OVSDB JSON-RPC).
        $core = [NetNs.Core.Ovs.OvsConnection].Assembly
        $context = $core.GetType('NetNs.Core.Context.NetNsContext').GetMethod('Production').Invoke($null, @($conn, [Threading.CancellationToken]::None, $null))
        $script:client = [Activator]::CreateInstance($core.GetType('NetNs.Core.Ovs.OvsClient'), @($context, $null))
        function Invoke-AddPorts([string] $Bridge, [string[]] $Ports) { $client.AddPorts($Bridge, $Ports, $null) }
        function Get-InnerNetNsException($ErrorRecord) {
            $x = $ErrorRecord.Exception
            while ($x -and $x -isnot [NetNs.Core.Errors.NetNsException]) { $x = $x.InnerException }
            $x
        }
    }

    It 'stores nothing and says BridgeNotFound when the bridge does not exist' {
        $before = Get-PortNames
        $err = $null
        try { Invoke-AddPorts (New-TestName 'nobr') @("v$h3") } catch { $err = Get-InnerNetNsException $_ }
        $err.ErrorId | Should -Be 'BridgeNotFound'
        $err.Category | Should -Be 'ObjectNotFound'
        Get-PortNames | Should -Be $before
    }

    It 'stores nothing and says PortExists when one of the names is already a port (the schema index on name)' {
        $before = Get-PortNames
        $before | Should -Contain "v$h1"
        $err = $null
        try { Invoke-AddPorts $br @((New-TestName 'fresh'), "v$h1") } catch { $err = Get-InnerNetNsException $_ }
        $err.ErrorId | Should -Be 'PortExists'
        $err.Category | Should -Be 'ResourceExists'
        $err.Target | Should -Be "v$h1"
        Get-PortNames | Should -Be $before
    }

    It 'waits for ovs-vswitchd: the new interface already has its OpenFlow port number when the call returns' {
        $end = New-TestName 've'
        & ip -n $sw link add $end type veth peer name "$end-p"
        try {
            $state = Invoke-AddPorts $br @($end)
            $i = $state.InterfaceRows | Where-Object Name -EQ $end
            $i.OfPort | Should -BeGreaterThan 0
            [int](& ovs-vsctl "--db=unix:$($ovs.Socket)" get Interface $end ofport) | Should -Be $i.OfPort
            [long](& ovs-vsctl "--db=unix:$($ovs.Socket)" get Open_vSwitch . cur_cfg) | Should -Be ([long](& ovs-vsctl "--db=unix:$($ovs.Socket)" get Open_vSwitch . next_cfg))
            (& ovsdb-tool show-log $ovs.Db | Select-Object -Last 3) -join "`n" | Should -Match "NetNs: ovs-vsctl .*add-port $br $end" 
        } finally {
            & ovs-vsctl "--db=unix:$($ovs.Socket)" --timeout=10 --if-exists del-port $br $end
            & ip -n $sw link del $end 2>$null
        }
    }

    It 'removes the ports again and says ConnectPortFailed naming the device when ovs-vswitchd cannot open it' {
        $ghost = New-TestName 'ghost'
        $before = Get-PortNames
        $err = $null
        try { $client.AddPorts($br, [string[]]@($ghost), $null) } catch { $err = Get-InnerNetNsException $_ }
        $err.ErrorId | Should -Be 'ConnectPortFailed'
        $err.Message | Should -BeLike "*Error detected while setting up '$ghost'*"
        $err.Target | Should -Be $ghost
        Get-PortNames | Should -Be $before
    }

    It 'gives OvsTimeout (OperationTimeout) when ovs-vswitchd does not apply the change in time' {
        $end = New-TestName 'vt'
        & ip -n $sw link add $end type veth peer name "$end-p"
        $vswitchd = [int](Get-Content -Raw $ovs.SwitchPid).Trim()
        $saved = Get-OvsConnection
        & kill -STOP $vswitchd
        try {
            Set-OvsConnection -Database "unix:$($ovs.Socket)" -SwitchNamespace $sw -TimeoutSeconds 2
            $t = [Diagnostics.Stopwatch]::StartNew()
            $err = $null
            try { Connect-OvsPort -Bridge $br -Name $end -KeepTxChecksumOffload } catch { $err = $_ }
            $t.Elapsed.TotalSeconds | Should -BeLessThan 8
            $err.FullyQualifiedErrorId | Should -BeLike 'OvsTimeout,*'
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
        } finally {
            & kill -CONT $vswitchd
            Set-OvsConnection -Database $saved.Database -SwitchNamespace $saved.SwitchNamespace -TimeoutSeconds $saved.TimeoutSeconds
            & ovs-vsctl "--db=unix:$($ovs.Socket)" --timeout=20 --if-exists del-port $br $end
            & ip -n $sw link del $end 2>$null
        }
    }

    It 'sets VLANs, disconnects ports and removes bridges in process too, each read back with ovs-vsctl' {
        $b2 = New-TestName 'swb'
        $end = New-TestName 've'
        & ip -n $sw link add $end type veth peer name "$end-p"
        try {
            & ovs-vsctl "--db=unix:$($ovs.Socket)" --timeout=20 add-br $b2 -- set bridge $b2 datapath_type=netdev -- add-port $b2 $end
            $v = @(Set-OvsVlan -Name $end -Trunk 10, 20 -NativeVlan 10 -Verbose 4>&1)
            $lines = @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'ovs-vsctl *' } | ForEach-Object Message)
            @($lines | Where-Object { $_ -notlike '*(in process*' }).Count | Should -Be 0
            @($lines | Where-Object { $_ -like "*set Port $end *(in process: OVSDB JSON-RPC)" }).Count | Should -Be 1
            & ovs-vsctl "--db=unix:$($ovs.Socket)" get Port $end tag | Should -Be '10'
            & ovs-vsctl "--db=unix:$($ovs.Socket)" get Port $end trunks | Should -Be '[10, 20]'
            & ovs-vsctl "--db=unix:$($ovs.Socket)" get Port $end vlan_mode | Should -Be 'native-untagged'
            Set-OvsVlan -Name $end -Tag 300 | Out-Null
            & ovs-vsctl "--db=unix:$($ovs.Socket)" get Port $end trunks | Should -Be '[]'
            & ovs-vsctl "--db=unix:$($ovs.Socket)" get Port $end tag | Should -Be '300'
            Set-OvsVlan -Name $end -Untagged | Out-Null
            & ovs-vsctl "--db=unix:$($ovs.Socket)" get Port $end tag | Should -Be '[]'
            & ovs-vsctl "--db=unix:$($ovs.Socket)" get Port $end vlan_mode | Should -Be '[]'

            $v = @(Disconnect-OvsPort -Name $end -Verbose 4>&1)
            @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like "ovs-vsctl *del-port $b2 $end*(in process: OVSDB JSON-RPC)" }).Count | Should -Be 1
            @(& ovs-vsctl "--db=unix:$($ovs.Socket)" list-ports $b2).Count | Should -Be 0
            @(& ovs-vsctl "--db=unix:$($ovs.Socket)" --bare --columns=name find Interface "name=$end").Count | Should -Be 0

            $v = @(Remove-OvsBridge -Name $b2 -Confirm:$false -Verbose 4>&1)
            @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like "ovs-vsctl *del-br $b2*(in process: OVSDB JSON-RPC)" }).Count | Should -Be 1
            & ovs-vsctl "--db=unix:$($ovs.Socket)" br-exists $b2
            $LASTEXITCODE | Should -Be 2
        } finally {
            & ovs-vsctl "--db=unix:$($ovs.Socket)" --timeout=20 --if-exists del-br $b2
            & ip -n $sw link del $end 2>$null
        }
    }

    It 'refuses a missing port with PortNotFound and changes nothing (del-port checks first, the VLAN update aborts on its wait)' {
        $ghost = New-TestName 'ghost'
        $tagBefore = & ovs-vsctl "--db=unix:$($ovs.Socket)" get Port "v$h1" tag
        $err = $null
        try { $client.SetVlan([string[]]@("v$h1", $ghost), [NetNs.Core.Ovs.OvsVlan]::Create(777, $null, $null, $false, $null)) } catch { $err = Get-InnerNetNsException $_ }
        $err.ErrorId | Should -Be 'PortNotFound'
        $err.Target | Should -Be $ghost
        & ovs-vsctl "--db=unix:$($ovs.Socket)" get Port "v$h1" tag | Should -Be $tagBefore
        $before = Get-PortNames
        $list = [Collections.Generic.List[ValueTuple[string, string]]]::new()
        $list.Add([ValueTuple]::Create($br, "v$h1")); $list.Add([ValueTuple]::Create($br, $ghost))
        $err = $null
        try { $client.RemovePorts($list) } catch { $err = Get-InnerNetNsException $_ }
        $err.ErrorId | Should -Be 'PortNotFound'
        Get-PortNames | Should -Be $before
        # The lab teardown's form skips what does not exist.
        $client.RemoveIfExist([string[]]@((New-TestName 'nobr')), [string[]]@($ghost))
        Get-PortNames | Should -Be $before
    }

    It 'Remove-NetNamespace also removes the OVS ports its veth pairs were (not others); -KeepOvsPort and -WhatIf leave them' {
        $hx = New-TestName 'swx'; $hy = New-TestName 'swx'
        try {
            New-NetNamespace $hx | Add-VethPair -Name eth0 -PeerName "v$hx" -PeerNamespace $sw | Connect-OvsPort -Bridge $br -KeepTxChecksumOffload | Out-Null
            New-NetNamespace $hy | Add-VethPair -Name eth0 -PeerName "v$hy" -PeerNamespace $sw | Connect-OvsPort -Bridge $br -KeepTxChecksumOffload | Out-Null
            $ports = { @(& ovs-vsctl "--db=unix:$($ovs.Socket)" list-ports $br) }

            $exe = [Environment]::ProcessPath
            $pre = @(if ((Split-Path -Leaf $exe) -ne 'pwsh') { Join-Path $PSHOME 'pwsh.dll' })
            $w = & $exe @pre -NoProfile -NonInteractive -Command "Import-Module '$script:NetNsModule'; Set-OvsConnection -Database 'unix:$($ovs.Socket)' -SwitchNamespace '$sw'; Remove-NetNamespace $hx -WhatIf" 2>&1 | Out-String
            $w | Should -BeLike "*ip netns del $hx*"
            $w | Should -BeLike "*--if-exists del-port v$hx*"
            & $ports | Should -Contain "v$hx"
            Test-Path "/run/netns/$hx" | Should -BeTrue

            $v = @(Remove-NetNamespace $hx -Verbose 4>&1)
            @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like "ovs-vsctl *--if-exists del-port v$hx*(in process: OVSDB JSON-RPC)" }).Count | Should -Be 1
            & $ports | Should -Not -Contain "v$hx"
            & $ports | Should -Contain "v$hy"
            & $ports | Should -Contain "v$h1"

            Remove-NetNamespace $hy -KeepOvsPort
            & $ports | Should -Contain "v$hy"
            (Get-OvsPort "v$hy").Error | Should -Not -BeNullOrEmpty
        } finally {
            Remove-TestNamespace @($hx, $hy)
            & ovs-vsctl "--db=unix:$($ovs.Socket)" --timeout=20 --if-exists del-port "v$hx" -- --if-exists del-port "v$hy"
        }
    }
}
